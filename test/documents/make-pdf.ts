import PDFDocument from 'pdfkit';

export interface PdfOptions {
  /** Set to make a password-protected (encrypted) PDF. */
  userPassword?: string;
}

/**
 * A real PDF written by pdfkit: one page per entry, each holding its lines of text; an entry
 * of `null` is a page with only a drawing (no text layer), as a scanned page has.
 */
export function makePdf(pages: readonly (readonly string[] | null)[], options: PdfOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      autoFirstPage: false,
      compress: false,
      ...(options.userPassword ? { userPassword: options.userPassword, ownerPassword: `${options.userPassword}-owner` } : {}),
    });
    const parts: Buffer[] = [];
    doc.on('data', (part: Buffer) => parts.push(part));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
    for (const lines of pages) {
      doc.addPage();
      if (lines === null) doc.rect(50, 50, 200, 100).fill('#333');
      else for (const line of lines) doc.text(line);
    }
    doc.end();
  });
}
