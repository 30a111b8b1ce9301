import { randomUUID } from 'node:crypto';
import type { ChatService } from '../chat/chat-service';
import type { ChatStream } from '../chat/chat-stream';
import { SharedSearch } from '../documents/shared-search';
import type { DocumentScope } from '../documents/types';
import { ConflictError, NotFoundError } from '../errors';
import { CompareRun } from './compare-run';
import { CompareRuns } from './compare-runs';
import { compareStats, type CompareStats } from './compare-stats';
import type { VoteStore } from './vote-store';
import type { Winner } from './winner';

export interface CompareInput {
  message: string;
  /** The two models, A then B; the configured pair when absent. */
  models?: readonly [string, string] | undefined;
  sessionId?: string | undefined;
  blind?: boolean | undefined;
  owner?: string | null | undefined;
  /** Ground both answers on the same passages of these documents: searched once. */
  documents?: DocumentScope | undefined;
}

export interface CompareServiceOptions {
  chat: ChatService;
  votes: VoteStore;
  /** `COMPARE_MODELS`: the pair compared when a request names none. */
  defaultModels: readonly [string, string];
  ttlMs: number;
  maxKept: number;
  newId?: () => string;
}

export interface VoteResult {
  compare_id: string;
  winner: Winner;
  /** Who answered: the names a blind compare hid until now. */
  models: { A: string; B: string };
}

/** A/B compares: two answers to one prompt from the ChatService, and votes on them. Knows nothing of HTTP. */
export class CompareService {
  private readonly runs: CompareRuns;
  private readonly newId: () => string;

  constructor(private readonly options: CompareServiceOptions) {
    this.runs = new CompareRuns({ ttlMs: options.ttlMs, maxKept: options.maxKept });
    this.newId = options.newId ?? randomUUID;
  }

  /**
   * Starts both sides at once, with the session's history when `sessionId` names one; neither
   * answer joins the conversation. Throws (leaving nothing running) when a model is not
   * allowed, the session is not the owner's or the server is full.
   */
  async start(input: CompareInput): Promise<CompareRun> {
    const chat = this.options.chat;
    const [modelA, modelB] = input.models ?? this.options.defaultModels;
    // Both checked first, so a bad B never leaves an A answer asked for and dropped.
    chat.checkModel(modelA);
    chat.checkModel(modelB);
    const owner = input.owner ?? null;
    const search = new SharedSearch();
    const side = (model: string) =>
      // graceMs 0: both answers belong to the compare's connection and end when it closes.
      chat.startUnsaved({ message: input.message, model, owner, sessionId: input.sessionId, documents: input.documents }, { graceMs: 0, search });
    const a = await side(modelA);
    let b: ChatStream;
    try {
      b = await side(modelB);
    } catch (error) {
      a.abandon();
      throw error;
    }
    const run = new CompareRun({
      id: this.newId(),
      owner,
      prompt: input.message,
      sessionId: input.sessionId ?? this.newId(),
      blind: input.blind ?? false,
      sides: { A: a, B: b },
    });
    this.runs.add(run);
    return run;
  }

  /** The compare with this id if `owner` may see it; someone else's is as good as absent. */
  get(id: string, owner: string | null): CompareRun | undefined {
    const run = this.runs.get(id);
    return run && run.owner === owner ? run : undefined;
  }

  /** Records the vote with the prompt and both answers. One per compare, once both sides ended. */
  async vote(id: string, owner: string | null, winner: Winner): Promise<VoteResult> {
    const run = this.require(id, owner);
    if (!run.ended) {
      throw new ConflictError(
        'Both answers are still streaming. Vote once both have ended, or stop them first.',
        'compare_not_finished',
      );
    }
    const added =
      run.winner === undefined &&
      (await this.options.votes.add({
        compareId: run.id,
        owner,
        prompt: run.prompt,
        modelA: run.models.A,
        modelB: run.models.B,
        answerA: run.text('A'),
        answerB: run.text('B'),
        winner,
        createdAt: new Date().toISOString(),
      }));
    if (!added) {
      throw new ConflictError('This compare already has a vote; each compare takes one.', 'already_voted');
    }
    run.winner = winner;
    return { compare_id: run.id, winner, models: run.models };
  }

  async stats(): Promise<CompareStats> {
    return compareStats(await this.options.votes.all());
  }

  /** The compare, or a 404 that also covers someone else's. */
  require(id: string, owner: string | null): CompareRun {
    const run = this.get(id, owner);
    if (!run) {
      throw new NotFoundError(
        `No compare with id "${id}" is live or kept; it may have expired. Start a new one with POST /api/chat/compare/stream.`,
        'compare_not_found',
      );
    }
    return run;
  }
}
