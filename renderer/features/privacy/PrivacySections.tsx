import { type ReactNode } from 'react';
import { type StoreApi } from 'zustand/vanilla';
import { type PrivacyHttp } from './privacy-api';
import { type PrivacyActions, type PrivacyState } from './privacy-store';
import { RequestList } from './RequestList';
import { type RequestList as RequestListApi } from './request-list';
import { ActionNotice, SubjectActions } from './SubjectActions';
import { SubjectSearch } from './SubjectSearch';

export interface PrivacyParts {
  http: PrivacyHttp;
  list: RequestListApi;
  store: StoreApi<PrivacyState & PrivacyActions>;
}

/** The Privacy view's sections, given its stores (the view creates them; tests pass their own). */
export function PrivacySections({ parts, retention }: { parts: PrivacyParts; retention: ReactNode }) {
  return (
    <div className="privacy-view" data-testid="privacy-view">
      <section className="card" aria-labelledby="privacy-find-title">
        <div className="card-header">
          <h2 id="privacy-find-title">Find a person’s data</h2>
          <p className="muted small">For an access, correction or deletion request: every store is searched, and each request is audited and ends with a signed receipt</p>
        </div>
        <SubjectSearch store={parts.store} />
        <SubjectActions store={parts.store} />
        <ActionNotice store={parts.store} />
      </section>
      <section className="card" aria-labelledby="privacy-requests-title">
        <div className="card-header">
          <h2 id="privacy-requests-title">Requests</h2>
          <p className="muted small">What each request found and did; identifiers are kept hashed once it ends</p>
        </div>
        <RequestList list={parts.list} http={parts.http} />
      </section>
      {retention && (
        <section className="card" aria-labelledby="privacy-retention-title">
          <div className="card-header">
            <h2 id="privacy-retention-title">Retention</h2>
            <p className="muted small">How long personal data is kept; older data is purged every hour</p>
          </div>
          {retention}
        </section>
      )}
    </div>
  );
}
