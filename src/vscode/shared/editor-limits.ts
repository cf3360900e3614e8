// Limits of what the editor analyses, shared by both wings and by both builds (Node and the
// browser): no import here, so the browser bundle can take it.

/** Above this many characters a document is not parsed on the UI path (the editor must not stall). */
export const MAX_EDITOR_CHARACTERS = 1024 * 1024;
