/**
 * A message from the pack checks, as the editor shows it: without the file and JSON path (the
 * editor is on that lesson), the field ids in brackets, and with a capital letter.
 */
export function teacherWords(message: string): string {
  const text = message
    .replace(/^pack\.json, lessons\[\d+\][^:]*: /, '')
    .replace(/ \((?:[a-z]+-)+[a-z]+\)/g, '')
    .replace(/ \((?:primer|temperature)\)/g, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Why a lesson could not start, for whoever is in front of it: a student gets plain words and
 * what to do, never a file or field name; a teacher previewing the lesson also gets the check's
 * own words (`teacherWords`), which say which condition was too tight.
 */
export function lessonProblemWords(
  message: string,
  preview: boolean,
): { readonly text: string; readonly detail: string | null } {
  return {
    text: 'Cantus could not write a melody that fits this lesson this time. Press Try again for a new one, or choose another lesson.',
    detail: preview ? teacherWords(message) : null,
  };
}
