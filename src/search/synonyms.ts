// Everyday words for what tools do, so "get rid of the VM" reaches terminate_instances and "bill
// the client" reaches create_invoice: groups of interchangeable words and phrases for the verbs and
// nouns of tool names. Generic English, not tied to any server; a query term found in a group brings
// the group's other words in, at a lower weight (RankingOptions.synonymWeight). WordNet moved BM25 by
// only 1–3 points on a probe: general synonyms are too broad; these are the ones tools use.
import { toTerm } from './terms.js';

const VERB_GROUPS: readonly string[] = [
  // Verbs: making, changing, removing.
  'create make add new open start raise register generate spin up set up',
  'delete remove erase wipe drop destroy discard trash purge forget get rid of throw away throw out tear down',
  'update edit change modify revise alter adjust tweak amend patch',
  'rename retitle',
  'copy duplicate clone',
  'move relocate transfer',
  'archive hide shelve',
  'restore undo revert rollback roll back bring back recover',
  // Verbs: reading and finding.
  'list show display enumerate browse all',
  'get fetch read retrieve view see look open inspect check details peek describe show',
  'search find look for look up lookup query locate',
  'count how many number of total tally',
  'compare diff difference versus',
  'download grab save',
  'upload put store',
  'export convert render',
  'summary summarize summarise brief overview short',
  'history past previous earlier historical timeline versions revisions',
  'forecast predict upcoming coming future will',
  // Verbs: running things.
  'run start launch kick off trigger execute begin fire',
  'stop halt shut down switch off turn off',
  'pause hold suspend freeze',
  'resume unpause continue keep going',
  'restart reboot bounce relaunch',
  'cancel call off abort revoke',
  'terminate kill end destroy',
  'scale resize grow shrink replicas',
  'install deploy ship roll out',
  'retry rerun redo again',
  // Verbs: people and messages.
  'send post message tell notify announce broadcast ping dm text',
  'reply respond answer',
  'forward pass along pass on',
  'comment note remark annotate feedback say',
  'log record track jot remember memorize write down note down',
  'remind reminder nudge ping me',
  'assign give hand over delegate allocate',
  'share grant invite give access let',
  'approve sign off accept lgtm ok',
  'decline reject refuse deny',
  'merge combine fold integrate',
  'resolve close fix done finish complete tick off',
  'subscribe sign up join enroll register',
  'unsubscribe opt out stop sending',
  'mute silence quiet snooze',
  'ban kick block boot',
  'schedule plan book arrange organise organize',
  'refund money back reimburse',
  'invoice bill charge',
  'pay payment capture collect',
];

const NOUN_GROUPS: readonly string[] = [
  'repo repository codebase',
  'pr pull request',
  'issue ticket bug',
  'instance vm server machine host box',
  'database db',
  'row record entry item',
  'column field property attribute',
  'document doc page article',
  'folder directory dir',
  'picture image photo screenshot png jpg',
  'video clip film movie',
  'song track music tune',
  'playlist mix',
  'email mail inbox',
  'message chat conversation',
  'channel room',
  'meeting call sync huddle standup catch up',
  'event appointment booking',
  'money funds balance cash',
  'cost spend spending bill billing expense',
  'customer client buyer shopper',
  'lead prospect',
  'coordinates latitude longitude gps',
  'weather temperature rain sunny snow cold chilly hot warm',
  'secret password credential token api key',
  'logs log output console',
  'error exception crash failure breaking broken',
  'permission access role privilege rights',
  'status state health healthy',
  'label tag category',
  'light lamp lights bulb',
  'thermostat heating heater temperature climate',
  'discount coupon promo voucher',
  'stock inventory quantity left',
  'deployment release rollout',
  'subscription recurring monthly plan',
  'firewall security group port ingress inbound',
  'snapshot backup back up',
  'transcript captions subtitles',
  'directions route navigate',
  'webpage page site website',
  'size big biggest large largest small bytes',
];

const PHRASES: readonly string[] = [
  'spin up',
  'set up',
  'get rid of',
  'throw away',
  'throw out',
  'tear down',
  'roll back',
  'bring back',
  'look for',
  'look up',
  'how many',
  'number of',
  'kick off',
  'shut down',
  'switch off',
  'turn off',
  'keep going',
  'call off',
  'roll out',
  'pass along',
  'pass on',
  'write down',
  'note down',
  'ping me',
  'hand over',
  'give access',
  'sign off',
  'tick off',
  'sign up',
  'opt out',
  'stop sending',
  'money back',
  'pull request',
  'catch up',
  'api key',
  'security group',
  'back up',
];

interface Trigger {
  /** The terms of a word (one) or phrase (several, stop words dropped: "get rid of" → get, rid). */
  terms: string[];
  group: number;
}

const GROUP_TEXTS = [...VERB_GROUPS, ...NOUN_GROUPS];
/** Groups below this position are verbs (what a tool does), the rest nouns (what it does it to). */
const VERB_GROUP_COUNT = VERB_GROUPS.length;
/** Each group's single words as written: what it adds to a query (phrases only ever trigger). */
const GROUP_WORDS: string[][] = GROUP_TEXTS.map(() => []);
/** Triggers by their first term, longest first, so a phrase is tried before its first word. */
const TRIGGERS = new Map<string, Trigger[]>();

GROUP_TEXTS.forEach((text, group) => {
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    const phrase = PHRASES.find((candidate) =>
      candidate.split(' ').every((word, j) => words[i + j] === word),
    );
    const member = phrase ?? words[i]!;
    if (phrase) i += phrase.split(' ').length - 1;
    else GROUP_WORDS[group]!.push(member);
    const terms = member.split(' ').flatMap((word) => toTerm(word) ?? []);
    if (terms.length === 0) continue;
    const list = TRIGGERS.get(terms[0]!) ?? [];
    list.push({ terms, group });
    list.sort((a, b) => b.terms.length - a.terms.length);
    TRIGGERS.set(terms[0]!, list);
  }
});

/**
 * Positions of the groups touched by a query with these terms (in order, as toTerms gives them). A
 * phrase's terms belong to the phrase: "get rid of" fires the delete group, not also that of "get".
 */
export function findSynonymGroups(terms: readonly string[]): number[] {
  const groups = new Set<number>();
  for (let at = 0; at < terms.length;) {
    const matched = (TRIGGERS.get(terms[at]!) ?? []).filter((trigger) =>
      startsWith(terms, at, trigger.terms),
    );
    if (matched.length === 0) {
      at++;
      continue;
    }
    const longest = matched[0]!.terms.length;
    for (const trigger of matched) if (trigger.terms.length === longest) groups.add(trigger.group);
    at += longest;
  }
  return [...groups].sort((a, b) => a - b);
}

/** Words to add to a query: every single word of each group it touches, minus what it already says. */
export function buildSynonymWords(terms: readonly string[], groups = findSynonymGroups(terms)): string[] {
  const said = new Set(terms);
  const found = new Set<string>();
  for (const group of groups)
    for (const word of GROUP_WORDS[group]!) if (!said.has(toTerm(word) ?? word)) found.add(word);
  return [...found];
}

/** The verb groups among `groups`. */
export function toVerbGroups(groups: readonly number[]): number[] {
  return groups.filter((group) => group < VERB_GROUP_COUNT);
}

/**
 * The verb groups of a tool's own name (as terms, in order): those of its first term or phrase that
 * is a verb of some group — `slack post message` → send; `ec2 stop instances` → stop.
 */
export function findNameVerbGroups(nameTerms: readonly string[]): number[] {
  for (let at = 0; at < nameTerms.length; at++) {
    const verbs = toVerbGroups(
      findSynonymGroups(nameTerms.slice(at, at + 3)).filter((group) =>
        (TRIGGERS.get(nameTerms[at]!) ?? []).some((trigger) => trigger.group === group),
      ),
    );
    if (verbs.length > 0) return verbs;
  }
  return [];
}

function startsWith(terms: readonly string[], at: number, sequence: readonly string[]): boolean {
  for (let j = 0; j < sequence.length; j++) if (terms[at + j] !== sequence[j]) return false;
  return true;
}
