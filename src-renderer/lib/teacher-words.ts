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
