/** Pure: the first visible row so that `selected` stays in view in a window of `height` rows. */
export function windowStart(selected: number, previousStart: number, height: number, length: number): number {
  if (length <= height) return 0;
  let start = previousStart;
  if (selected < start) start = selected;
  if (selected >= start + height) start = selected - height + 1;
  return Math.max(0, Math.min(start, length - height));
}

export function clamp(n: number, length: number): number {
  return Math.max(0, Math.min(n, length - 1));
}

/** A new selection for a movement action over a list of `length` rows shown `page` at a time. */
export function move(selected: number, action: string | null, length: number, page: number): number {
  switch (action) {
    case 'up':
      return clamp(selected - 1, length);
    case 'down':
      return clamp(selected + 1, length);
    case 'pageUp':
      return clamp(selected - page, length);
    case 'pageDown':
      return clamp(selected + page, length);
    case 'top':
      return 0;
    case 'bottom':
      return Math.max(0, length - 1);
    default:
      return selected;
  }
}

const MOVES = new Set(['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom']);

/** Whether an action moves a list's selection. */
export function isMove(action: string | null): boolean {
  return action !== null && MOVES.has(action);
}
