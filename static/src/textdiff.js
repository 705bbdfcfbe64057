// The smallest single change that turns one text into another: what differs between their common
// start and common end. Applying a collaborator's whole text as this change (rather than as a
// replacement of everything) keeps the learner's cursor and selection where they were.

function isHighSurrogate(code) {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Returns {from, to, insert} such that before.slice(0, from) + insert + before.slice(to) equals
 * `after`, or null when the texts are equal. Never splits a surrogate pair. */
export function changeBetween(before, after) {
  if (before === after) return null;
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (
    end < shorter - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  ) {
    end++;
  }
  if (end > 0 && isHighSurrogate(before.charCodeAt(before.length - end - 1))) end--;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}
