/** Hands the browser a file to save: text (with its type) or a blob. */
export function download(content: string | Blob, fileName: string, type: string) {
  const url = URL.createObjectURL(typeof content === 'string' ? new Blob([content], { type }) : content);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file by the next task; the URL would otherwise hold the blob for the page's life.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
