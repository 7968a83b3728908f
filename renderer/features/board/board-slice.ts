import { type AgentBoardRow, type QueueBoardRow, type ServerMessageOf } from '../../../shared';
import { memoOn } from '../../app/memo';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { sortBoardAgents, sortQueues } from './board-logic';

export interface BoardState {
  queues: readonly QueueBoardRow[];
  agents: readonly AgentBoardRow[];
  /** Server time of the snapshot. */
  at: string | null;
  /** False until the first frame, so the UI can tell "loading" from "no queues". */
  loaded: boolean;
}

export interface BoardSlice {
  board: BoardState;
  /** Each frame is the whole board; it replaces the previous one. */
  applyBoard(message: ServerMessageOf<'board'>): void;
  clearBoard(): void;
}

const initialBoard: BoardState = { queues: [], agents: [], at: null, loaded: false };

export const createBoardSlice: SliceCreator<BoardSlice> = () => (set) => ({
  board: initialBoard,

  applyBoard(message) {
    set({ board: { queues: message.queues, agents: message.agents, at: message.at, loaded: true } });
  },

  clearBoard() {
    set({ board: initialBoard });
  },
});

// ---- selectors ----

const deriveQueues = memoOn((queues: readonly QueueBoardRow[]) => sortQueues(queues));
const deriveAgents = memoOn((agents: readonly AgentBoardRow[]) => sortBoardAgents(agents));

export const selectBoard = (s: AppState) => s.board;
export const selectBoardQueues = (s: AppState) => deriveQueues(s.board.queues);
export const selectBoardAgents = (s: AppState) => deriveAgents(s.board.agents);
export const selectBoardLoaded = (s: AppState) => s.board.loaded;
