import { describe, expect, it } from 'vitest';
import type { ModuleDataMap } from '../../../server/kernel/data-map';
import { DATA_MAP } from '../../../server/modules/privacy/data-map';
import { parseLink, planPurge } from '../../../server/modules/privacy/purge/purge-plan';

describe('purge plan (the data map read for a purge)', () => {
  it('reaches every table of a class, children before parents, the interactions row cleared per class', () => {
    const all = planPurge(DATA_MAP, ['transcripts', 'recordings', 'contacts', 'interactions']);
    const tables = all.map((t) => t.table);
    expect(tables).toEqual(expect.arrayContaining(['messages', 'sync_notes', 'recordings', 'recording_chunks', 'recording_segments', 'recording_pauses', 'timeline', 'interactions']));
    expect(tables.indexOf('recording_chunks')).toBeLessThan(tables.indexOf('recordings'));
    expect(tables.at(-1)).toBe('interactions');
    expect(all.find((t) => t.table === 'interactions')?.action).toEqual({ kind: 'clear', columns: ['customer_name', 'customer_email', 'customer_token_hash', 'notes'] });
    // Kept on purpose: the audit log, the change log (turned into tombstones), sync access (how tombstones travel).
    expect(tables).not.toContain('audit_log');
    expect(tables).not.toContain('sync_changes');
    expect(tables).not.toContain('sync_access');

    const transcripts = planPurge(DATA_MAP, ['transcripts']);
    // Evaluations' notes and comments may quote the customer: they age with the transcripts.
    expect(transcripts.map((t) => t.table).sort()).toEqual(['evaluations', 'interactions', 'messages', 'sync_notes']);
    expect(transcripts.find((t) => t.table === 'evaluations')?.action).toEqual({ kind: 'clear', columns: ['notes', 'agent_comment'] });
    expect(transcripts.find((t) => t.table === 'interactions')?.action).toEqual({ kind: 'clear', columns: ['notes'] });
    expect(planPurge(DATA_MAP, ['recordings']).map((t) => t.table).sort()).toEqual(['recording_chunks', 'recording_pauses', 'recording_segments', 'recordings']);
    // A notice campaign's pending address (and its digest) goes with the contact fields it was taken from.
    const contacts = planPurge(DATA_MAP, ['contacts']);
    expect(contacts.find((t) => t.table === 'notice_campaign_recipients')?.action).toEqual({ kind: 'clear', columns: ['email', 'email_hash'] });
    expect(contacts.at(-1)?.table).toBe('interactions');
  });

  it('reaches a store another module adds with no code change: an interaction column, an erase rule and a class', () => {
    const consent: ModuleDataMap = {
      module: 'surveys',
      tables: [
        {
          table: 'survey_answers',
          about: 'what the customer answered after the conversation',
          subject: 'customer',
          columns: { id: 'link', interaction_id: 'link', wording: 'personal' },
          find: { interactionColumn: 'interaction_id' },
          erase: { kind: 'delete' },
          retention: 'interactions',
          syncKind: 'survey',
        },
      ],
    };
    const plan = planPurge([...DATA_MAP, consent], ['interactions']);
    expect(plan.find((t) => t.table === 'survey_answers')).toEqual({ table: 'survey_answers', link: { kind: 'direct', column: 'interaction_id' }, action: { kind: 'delete' }, syncKind: 'survey' });
    expect(planPurge([...DATA_MAP, consent], ['transcripts']).map((t) => t.table)).not.toContain('survey_answers');
  });

  it('reads the "parent.column via fk" notation and refuses anything else', () => {
    expect(parseLink('recordings.interaction_id via recording_id')).toEqual({ kind: 'via', parent: 'recordings', parentColumn: 'interaction_id', fk: 'recording_id' });
    expect(parseLink('interaction_id')).toEqual({ kind: 'direct', column: 'interaction_id' });
    expect(parseLink('x; drop table users')).toBeNull();
  });
});
