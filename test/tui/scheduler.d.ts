/** React's scheduler (a dependency of react-reconciler, which Ink uses); only what the tests call. */
declare module 'scheduler' {
  export const unstable_IdlePriority: number;
  export function unstable_scheduleCallback(priority: number, callback: () => void): unknown;
}
