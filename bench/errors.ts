// The target cannot be measured at all (nothing connects, no frame ever arrives, the wrong format):
// the CLI reports it as one line and exits 2 (CLI-CONTRACT: "a target that cannot be reached").
export class TargetError extends Error {
  override name = 'TargetError';
}
