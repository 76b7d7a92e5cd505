/**
 * Realistic view models for the golden tests: a 3-round dialogue about local-production
 * parity (after blue's local-prod-parity dialogue), with a constraint pivot in round 1,
 * an absent expert, an accepted tension, and a forced verdict variant.
 */
import type {
  PerspectiveRow,
  RecordedDialogueView,
  RoundSummaryView,
  ScoreboardView,
  ScoreRow,
  TensionRow,
  TensionsView,
  VerdictView,
} from '../../src/markdown/index.ts';

export const TITLE = 'Local-Production Parity';
export const QUESTION = 'How should a new Rust service achieve true local-production encryption parity?';

export const scoreRows: ScoreRow[] = [
  { round: 0, wisdom: 31, consistency: 22, truth: 19, relationships: 15, score: 87, cumulative: 87, openTensions: 4, newPerspectives: 6, velocity: 10, convergePercent: 0 },
  { round: 1, wisdom: 24, consistency: 18, truth: 15, relationships: 12, score: 69, cumulative: 156, openTensions: 2, newPerspectives: 3, velocity: 5, convergePercent: 40 },
  { round: 2, wisdom: 30, consistency: 22, truth: 20, relationships: 15, score: 87, cumulative: 243, openTensions: 0, newPerspectives: 0, velocity: 0, convergePercent: 100 },
];

export const tensions: TensionRow[] = [
  { id: 'T0001', label: 'Dashboard decryption vs zero-knowledge guarantee', status: 'resolved', raisedBy: 'Donut', raisedRound: 0, closedRound: 1, closedBy: ['Cupcake', 'Donut'], resolution: 'Three-mode dashboard: LOCAL decrypts, STAGING and PRODUCTION never do' },
  { id: 'T0002', label: 'Full parity vs developer ergonomics', status: 'resolved', raisedBy: 'Macaron', raisedRound: 0, closedRound: 2, closedBy: ['Muffin'], resolution: 'Docker is an acceptable cost for true parity' },
  { id: 'T0003', label: 'Auto-generated keys vs reproducible testing', status: 'accepted', raisedBy: 'Cupcake', raisedRound: 0, closedRound: 2, closedBy: ['Palmier'], resolution: 'Fixed test vectors cover reproducibility; local keys stay random' },
  { id: 'T0004', label: 'Docker requirement vs "just clone and run"', status: 'resolved', raisedBy: 'Scone', raisedRound: 0, closedRound: 1, resolution: 'Docker required (user constraint)' },
  { id: 'T0101', label: 'Greenfield repo scope and boundaries', status: 'resolved', raisedBy: 'Eclair', raisedRound: 1, closedRound: 2, resolution: 'One crate: encrypted DynamoDB storage' },
];

const perspectives0: PerspectiveRow[] = [
  { id: 'P0001', label: 'Docker Compose as orchestration standard', contributors: ['Muffin'], round: 0, isNew: true },
  { id: 'P0002', label: 'Encryption algorithms must be identical (sources can differ)', contributors: ['Cupcake', 'Croissant'], round: 0, isNew: true },
  { id: 'P0003', label: 'LocalSecretsProvider replaces the secrets manager locally', contributors: ['Cupcake', 'Eclair'], round: 0, isNew: true },
  { id: 'P0004', label: 'Two-minute onboarding rule', contributors: ['Scone'], round: 0, isNew: true },
  { id: 'P0005', label: 'DynamoDB Local has 99% parity', contributors: ['Eclair'], round: 0, isNew: true },
  { id: 'P0006', label: 'Full production parity is unnecessary', contributors: ['Macaron'], round: 0, isNew: true },
];

/** Round 0: opening, no convergence, panel evolution for round 1. */
export const round0: RoundSummaryView = {
  title: TITLE,
  round: 0,
  score: 87,
  velocity: 10,
  total: 87,
  panelSize: 6,
  status: 'OPEN',
  newConstraints: [],
  perspectives: perspectives0,
  tensions: tensions.slice(0, 4).map((t) => ({ id: t.id, label: t.label, status: 'open', raisedBy: t.raisedBy, raisedRound: 0 })),
  recommendations: [
    { id: 'R0001', label: 'Standard directory layout (deploy/local/)', from: 'Muffin' },
    { id: 'R0002', label: 'KeyProvider abstraction (local file vs KMS)', from: 'Eclair' },
  ],
  camps: [
    { name: 'Camp A: Minimal Viable Parity', members: ['Muffin', 'Cupcake', 'Eclair'], stance: 'Run DynamoDB Local in Docker and exercise every encryption code path.' },
    { name: 'Camp B: Skip Infrastructure Parity', members: ['Macaron', 'Scone'], stance: 'SQLite is enough for most developers; CI covers DynamoDB.' },
  ],
  keyQuestion: 'Should local development REQUIRE Docker, or should Docker be optional for advanced testing?',
  panelEvolution: {
    retain: [
      { expert: 'Cupcake', reason: 'owns the key hierarchy argument' },
      { expert: 'Macaron', reason: 'strongest dissent on parity' },
    ],
    rotateOut: [{ expert: 'Donut', reason: 'dashboard question answered' }],
    add: [{ expert: 'Palmier', role: 'QA Engineer', source: 'pool', reason: 'testing perspective is missing' }],
  },
  openTensions: tensions.slice(0, 4).map((t) => ({ id: t.id, label: t.label, status: 'open', raisedBy: t.raisedBy, raisedRound: 0 })),
  newPerspectives: perspectives0,
  signals: ['Muffin', 'Cupcake', 'Scone', 'Eclair', 'Donut', 'Macaron'].map((expert) => ({ expert, converged: false })),
  convergePercent: 0,
  blocked: ['velocity 10 > 0', 'converge 0% < 100%'],
  absent: [],
  notes: [],
};

/** Round 1: constraint pivot, an absent expert, a refinement, a judge note. */
export const round1: RoundSummaryView = {
  title: TITLE,
  round: 1,
  score: 69,
  velocity: 5,
  total: 156,
  panelSize: 6,
  status: 'CONSTRAINT PIVOT',
  newConstraints: ['Docker is REQUIRED: DynamoDB Local is mandatory, no SQLite fallback', 'No tiers: progressive disclosure is rejected'],
  perspectives: [
    { id: 'P0101', label: 'Docker REQUIRED with a justfile workflow', contributors: ['Muffin', 'Strudel'], round: 1, refines: 'P0001', isNew: false },
    { id: 'P0102', label: 'Two-layer test architecture', contributors: ['Palmier'], round: 1, isNew: true },
    { id: 'P0103', label: 'Config-driven observability', contributors: ['Cannoli'], round: 1, isNew: true },
    { id: 'P0104', label: 'Single DynamoDB schema everywhere', contributors: ['Eclair'], round: 1, isNew: true },
  ],
  tensions: [
    tensions[0]!,
    { ...tensions[1]!, status: 'reopened', closedRound: undefined, resolution: undefined },
    { ...tensions[2]!, status: 'open', closedRound: undefined, resolution: undefined },
    tensions[3]!,
    { ...tensions[4]!, status: 'open', closedRound: undefined, resolution: undefined },
  ],
  recommendations: [],
  camps: [],
  keyQuestion: 'Given Docker is REQUIRED, what is the minimal correct architecture for true parity?',
  panelEvolution: {
    retain: [{ expert: 'Cupcake', reason: 'security lead' }],
    rotateOut: [],
    add: [{ expert: 'Strudel', role: 'Infrastructure Engineer', source: 'created', reason: 'Docker setup needs an owner' }],
  },
  openTensions: [
    { ...tensions[1]!, status: 'reopened', closedRound: undefined, resolution: undefined },
    { ...tensions[4]!, status: 'open', closedRound: undefined, resolution: undefined },
  ],
  newPerspectives: [
    { id: 'P0102', label: 'Two-layer test architecture', contributors: ['Palmier'], round: 1, isNew: true },
    { id: 'P0103', label: 'Config-driven observability', contributors: ['Cannoli'], round: 1, isNew: true },
    { id: 'P0104', label: 'Single DynamoDB schema everywhere', contributors: ['Eclair'], round: 1, isNew: true },
  ],
  signals: [
    { expert: 'Muffin', converged: true },
    { expert: 'Cupcake', converged: true },
    { expert: 'Eclair', converged: false },
    { expert: 'Palmier', converged: false },
    { expert: 'Cannoli', converged: false },
  ],
  convergePercent: 40,
  blocked: ['velocity 5 > 0', 'converge 40% < 100%'],
  absent: [{ expert: 'Macaron', reason: 'provider timeout after 3 attempts' }],
  notes: ['LLM judge unavailable this round: camps and key question were not synthesised.'],
};

/** Round 2: final, converged (no key question, no panel evolution). */
export const round2: RoundSummaryView = {
  ...round1,
  round: 2,
  score: 87,
  velocity: 0,
  total: 243,
  panelSize: 6,
  status: 'CONVERGED',
  newConstraints: [],
  perspectives: [],
  tensions: [tensions[1]!, tensions[2]!, tensions[4]!],
  recommendations: [{ id: 'R0201', label: 'Draft an RFC for the blue-encrypted-store crate', from: 'Eclair' }],
  camps: [{ name: 'Unanimous', members: ['Muffin', 'Cupcake', 'Eclair', 'Palmier', 'Cannoli', 'Strudel'], stance: 'Docker-required parity with one schema.' }],
  keyQuestion: null,
  panelEvolution: null,
  openTensions: [],
  newPerspectives: [],
  signals: ['Muffin', 'Cupcake', 'Eclair', 'Palmier', 'Cannoli', 'Strudel'].map((expert) => ({ expert, converged: true })),
  convergePercent: 100,
  blocked: [],
  absent: [],
  notes: [],
};

export const scoreboard: ScoreboardView = {
  title: TITLE,
  rows: scoreRows,
  experts: [
    { expert: 'Cupcake', role: 'Security Architect', byRound: [17, 15, 16], total: 48 },
    { expert: 'Muffin', role: 'Platform Engineer', byRound: [16, 14, 15], total: 45 },
    { expert: 'Eclair', role: 'Database Architect', byRound: [15, 13, 14], total: 42 },
    { expert: 'Palmier', role: 'QA Engineer', byRound: [null, 14, 15], total: 29 },
    { expert: 'Strudel', role: 'Infrastructure Engineer', byRound: [null, null, 14], total: 14 },
    { expert: 'Macaron', role: 'Startup CTO (Ship-Speed Pragmatist)', byRound: [13, 0, null], total: 13 },
    { expert: 'Scone', role: 'Developer Experience Lead', byRound: [14, null, null], total: 14 },
  ],
  maxRounds: 10,
  outcome: 'converged',
};

export const tensionsView: TensionsView = { title: TITLE, tensions };

export const verdict: VerdictView = {
  title: TITLE,
  question: QUESTION,
  outcome: 'converged',
  rounds: 3,
  totals: { wisdom: 85, consistency: 62, truth: 54, relationships: 42, total: 243 },
  experts: ['Muffin', 'Cupcake', 'Scone', 'Eclair', 'Donut', 'Macaron', 'Palmier', 'Cannoli', 'Strudel'],
  tensionsResolved: 4,
  tensionsTotal: 5,
  finalVelocity: 0,
  finalConvergePercent: 100,
  finalSignals: { converged: 6, panel: 6 },
  answer: 'Build one crate with a `KeyProvider` trait and run DynamoDB Local in Docker.\n\n# Why\n\nThe same code path runs in every environment; only the endpoint differs.',
  decisions: [
    { topic: 'Local infrastructure', decision: 'Docker required; DynamoDB Local only', rationale: 'True parity beats a two-minute setup', sources: ['T0002', 'T0004', 'P0101'] },
    { topic: 'Key management', decision: 'KeyProvider trait: local file and AWS KMS', rationale: 'Same algorithms, different key sources', sources: ['P0002'] },
    { topic: 'Testing', decision: 'Two-layer tests with fixed vectors', rationale: 'Reproducible without fixed keys', sources: [] },
  ],
  resolvedTensions: tensions.filter((t) => t.status === 'resolved'),
  acceptedTensions: tensions.filter((t) => t.status === 'accepted'),
  openTensions: [],
  dissent: [],
  keyInsights: [
    { expert: 'Cupcake', round: 2, text: 'The greenfield constraint lets us do encryption right.' },
    { expert: 'Muffin', round: 2, text: 'One endpoint variable switches local and production.' },
  ],
};

/** The same dialogue stopped at max rounds with one tension still open and formal dissent. */
export const forcedVerdict: VerdictView = {
  ...verdict,
  outcome: 'forced',
  rounds: 10,
  tensionsResolved: 3,
  finalVelocity: 2,
  finalConvergePercent: 67,
  finalSignals: { converged: 4, panel: 6 },
  answer: null,
  decisions: verdict.decisions.slice(0, 1),
  resolvedTensions: tensions.filter((t) => t.status === 'resolved').slice(0, 3),
  openTensions: [{ ...tensions[4]!, status: 'open', closedRound: undefined, resolution: undefined }],
  dissent: [{ expert: 'Macaron', round: 9, text: 'Docker-required onboarding will cost us contributors.' }],
};

export const recorded: RecordedDialogueView = {
  title: TITLE,
  question: QUESTION,
  startedAt: '2026-02-06T18:39:00Z',
  outcome: 'converged',
  maxRounds: 10,
  constraints: ['Greenfield Rust repository'],
  pool: {
    name: 'local-prod-parity',
    domain: 'Local-production parity for encrypted storage',
    experts: [
      { role: 'Platform Engineer', tier: 'Core', relevance: 0.95 },
      { role: 'Security Architect', tier: 'Core', relevance: 0.92 },
      { role: 'Database Architect', tier: 'Core', relevance: 0.9 },
      { role: 'QA Engineer', tier: 'Adjacent', relevance: 0.7 },
      { role: 'Startup CTO (Ship-Speed Pragmatist)', tier: 'Wildcard', relevance: 0.4 },
    ],
  },
  panel: [
    { name: 'Muffin', role: 'Platform Engineer', tier: 'Core', relevance: 0.95, source: 'pool', firstRound: 0 },
    { name: 'Cupcake', role: 'Security Architect', tier: 'Core', relevance: 0.92, source: 'pool', firstRound: 0 },
    { name: 'Macaron', role: 'Startup CTO (Ship-Speed Pragmatist)', tier: 'Wildcard', relevance: 0.4, source: 'pool', firstRound: 0 },
    { name: 'Palmier', role: 'QA Engineer', tier: 'Adjacent', relevance: 0.7, source: 'pool', firstRound: 1 },
  ],
  rounds: [
    {
      round: 0,
      label: 'Opening Arguments',
      framing: `${QUESTION} Constraint: greenfield Rust repository.`,
      contributions: [
        {
          expert: 'Muffin',
          role: 'Platform Engineer',
          text: '# Position\n\n[PERSPECTIVE P01: Docker Compose as orchestration standard]\n\nRun the stack with one command:\n\n```yaml\nservices:\n  dynamodb:\n    image: amazon/dynamodb-local\n```\n\n## Risks\n\n* Docker on CI\n* Apple silicon images',
        },
        {
          expert: 'Macaron',
          role: 'Startup CTO (Ship-Speed Pragmatist)',
          text: '[PERSPECTIVE P01: Full production parity is unnecessary]\n\nSQLite covers **most** developers.\n\n[TENSION T01: Full parity vs developer ergonomics]',
        },
      ],
      score: scoreRows[0]!,
    },
    {
      round: 1,
      label: 'Docker Required',
      framing: 'The user added a constraint: Docker is REQUIRED.\n\nOpen tensions:\n\n- T0002 Full parity vs developer ergonomics',
      contributions: [
        { expert: 'Muffin', role: 'Platform Engineer', text: '[REFINEMENT: P0001] A justfile wraps compose.\n\n[MOVE:CONVERGE]' },
        { expert: 'Macaron', role: 'Startup CTO (Ship-Speed Pragmatist)', text: '', absent: 'provider timeout after 3 attempts' },
        { expert: 'Palmier', role: 'QA Engineer', text: '### Test layers\n\n1. Unit tests, no I/O\n2. Integration tests against Docker\n\n[RESOLVED T0002: Docker is an acceptable cost]' },
      ],
      score: scoreRows[1]!,
    },
    {
      round: 2,
      label: 'Converging on One Crate',
      framing: 'Resolve the remaining tension T0101 (greenfield scope).',
      contributions: [
        { expert: 'Cupcake', role: 'Security Architect', text: 'The greenfield constraint lets us do encryption right.\n\n[MOVE:CONVERGE]' },
        { expert: 'Palmier', role: 'QA Engineer', text: 'Test vectors settle reproducibility.\n\n[MOVE:CONVERGE]' },
      ],
      score: scoreRows[2]!,
    },
  ],
  decisions: verdict.decisions,
  scoreboard,
  openItems: [{ ...tensions[2]!, status: 'accepted' }],
  promotedTo: '../rfcs/0007-local-prod-parity.draft.md',
};
