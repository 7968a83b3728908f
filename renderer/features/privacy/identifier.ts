import { type SubjectIdentifiers, SubjectSearchQuery } from '../../../shared/api/privacy';

/** What the one search box holds: picked by the officer, or guessed from the text ('auto'). */
export type IdentifierKind = 'email' | 'phone' | 'name' | 'interactionId';
export type KindChoice = IdentifierKind | 'auto';

export const KIND_LABELS: Record<IdentifierKind, string> = {
  email: 'E-mail',
  phone: 'Phone number',
  name: 'Name',
  interactionId: 'Interaction id',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PHONE = /^\+?[\d\s().-]+$/;

/** The kind a typed text most likely is: an @ means e-mail, a UUID an interaction id, digits a phone, else a name. */
export function guessKind(text: string): IdentifierKind {
  const t = text.trim();
  if (t.includes('@')) return 'email';
  if (UUID.test(t)) return 'interactionId';
  if (PHONE.test(t) && (t.match(/\d/g)?.length ?? 0) >= 3) return 'phone';
  return 'name';
}

export type ParsedIdentifier = { ok: true; kind: IdentifierKind; value: string; query: SubjectSearchQuery } | { ok: false; message: string };

/** The search box's text as a query the server accepts, or what to type instead (checked as the server will). */
export function parseIdentifier(text: string, choice: KindChoice): ParsedIdentifier {
  const value = text.trim();
  if (value === '') return { ok: false, message: 'Type an e-mail, a phone number, a name or an interaction id, then search.' };
  const kind = choice === 'auto' ? guessKind(value) : choice;
  const checked = SubjectSearchQuery.safeParse({ [kind]: value });
  if (!checked.success) {
    const hint: Record<IdentifierKind, string> = {
      email: 'This is not an e-mail address: check it, or pick another kind of identifier.',
      phone: 'A phone number needs at least 3 characters: check it.',
      name: 'A name needs at least 2 letters.',
      interactionId: 'This is not an interaction id: copy it from History.',
    };
    return { ok: false, message: hint[kind] };
  }
  return { ok: true, kind, value: checked.data[kind] ?? value, query: checked.data };
}

/**
 * Who a request is about. Every match ticked: the identifier as typed, so the server searches
 * every store for it again. Some unticked: only the ticked interactions, so a name shared by two
 * people reaches only the one the officer checked.
 */
export function subjectFor(searched: { kind: IdentifierKind; value: string }, matchIds: readonly string[], selected: ReadonlySet<string>): SubjectIdentifiers {
  const all = matchIds.length > 0 && matchIds.every((id) => selected.has(id));
  if (!all && selected.size > 0) return { interactionIds: matchIds.filter((id) => selected.has(id)) };
  if (searched.kind === 'interactionId') return { interactionIds: [searched.value] };
  return { [searched.kind]: searched.value } as SubjectIdentifiers;
}
