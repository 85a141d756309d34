// The layering of issue 11, checked on every `npm run lint` (dependency-cruiser reads the import
// graph, type-only imports included):
//   cli/ → suites/, reference-server/, reports/, bench/ → src/ → spec/
// src/ is the harness core (engine, wire, schema, protocol adapters) and imports nothing above it;
// the reference server is a server a reader could lift out: spec/ data, src/schema, src/util only.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only ones included: each layer must read top to bottom.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-is-the-core',
      severity: 'error',
      comment: 'src/ imports only src/, spec/ and packages: the command line, suites, reports, bench and reference server stand above it.',
      from: { path: '^src/' },
      to: { path: '^(cli|suites|reference-server|reports|bench|test|scripts)/' },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      comment: 'cli/ is the top floor: no arrow runs back up to it.',
      from: { path: '^(src|suites|reference-server|reports|bench)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'reference-server-stands-alone',
      severity: 'error',
      comment: 'The reference server reads spec/ data, src/schema and src/util, nothing else of the harness.',
      from: { path: '^reference-server/' },
      to: { path: '^(src/(?!schema/|util/)|suites/|reports/|bench/)' },
    },
    {
      name: 'cases-do-not-know-the-server',
      severity: 'error',
      comment: 'Cases and reports judge any target: they must not import the reference server (the fault catalog is spec/faults.json).',
      from: { path: '^(suites|reports)/' },
      to: { path: '^reference-server/' },
    },
    {
      name: 'no-test-code-in-the-product',
      severity: 'error',
      from: { path: '^(cli|src|suites|reference-server|reports|bench)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|\\.tmp)/' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
