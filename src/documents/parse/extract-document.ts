import { DocumentError } from '../../errors';
import type { DocumentType } from '../types';
import { type Block, paragraphs, paragraphsInSlices } from './blocks';
import { htmlBlocks } from './html-blocks';
import { markdownBlocksInSlices } from './markdown-blocks';
import { pdfPages } from './pdf-pages';
import { Slices } from './slices';
import { SNIFF_CHARS, documentType, looksLikePdf } from './sniff-document';
import { decodeSteps, startOf, type DecodedText } from './text-pieces';

export interface ExtractedDocument {
  type: DocumentType;
  /** The blocks of each page, in order; one page for types without pages. */
  pages: Block[][];
  /** Characters of text extracted. */
  characters: number;
}

function countCharacters(pages: Block[][]): number {
  let n = 0;
  for (const page of pages) for (const block of page) n += block.text.length;
  return n;
}

function noText(name: string, why: string, code = 'no_extractable_text'): DocumentError {
  return new DocumentError(`${name} ${why}: no extractable text.`, { status: 422, code, file: name });
}

async function pdfBlocks(name: string, bytes: Buffer): Promise<Block[][]> {
  const result = await pdfPages(bytes);
  if (!result.ok) {
    if (result.reason === 'encrypted') {
      throw noText(name, 'is encrypted (password-protected). Upload a copy saved without a password', 'encrypted_pdf');
    }
    throw noText(name, `could not be read as a PDF (${result.message}). It is corrupt or cut short`, 'corrupt_pdf');
  }
  const pages = result.pages.map((text) => paragraphs(text.replace(/\r\n?/g, '\n')));
  if (pages.every((page) => page.length === 0)) {
    throw noText(name, 'has no text layer (scanned pages or images only). Upload a PDF with selectable text');
  }
  return pages;
}

/**
 * An uploaded file's text, by structure: its type sniffed from the bytes, then PDFs read in a
 * worker thread, HTML stripped of its markup, markdown split at its headings, plain text at
 * blank lines. Throws a DocumentError (4xx) for every file it cannot use. Text is decoded and
 * split on this thread a slice at a time (`slices`), so a big file never blocks the event loop
 * for long: the answers streaming meanwhile get their turns.
 */
export async function extractDocument(name: string, bytes: Buffer, slices = new Slices()): Promise<ExtractedDocument> {
  const decoded: DecodedText = { pieces: [], binary: false };
  if (bytes.length > 0 && !looksLikePdf(bytes)) await slices.run(decodeSteps(bytes, decoded));
  const text = decoded.binary || bytes.length === 0 || looksLikePdf(bytes) ? undefined : decoded.pieces;
  const type = documentType(name, bytes, text && startOf(text, SNIFF_CHARS));
  let pages: Block[][];
  if (type === 'pdf') {
    pages = await pdfBlocks(name, bytes);
  } else {
    const source = text!;
    const blocks =
      type === 'html'
        ? await htmlBlocks(source, slices)
        : type === 'md'
          ? await markdownBlocksInSlices(source, slices)
          : await paragraphsInSlices(source, slices);
    if (!blocks.some((b) => b.kind === 'paragraph')) {
      if (type === 'html' && source.some((piece) => piece.trim() !== '')) throw noText(name, 'is HTML with no text in it');
      throw new DocumentError(`${name} holds only white space. Upload a file with text in it.`, {
        status: 400,
        code: 'empty_document',
        file: name,
      });
    }
    pages = [blocks];
  }
  return { type, pages, characters: countCharacters(pages) };
}
