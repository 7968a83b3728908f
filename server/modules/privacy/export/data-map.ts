import type { ModuleDataMap } from '../../../kernel/data-map';

/** Export archives: a copy of everything an access request found, kept for the officer to download. */
export const privacyExportDataMap: ModuleDataMap = {
  module: 'privacy-export',
  tables: [],
  files: [
    {
      location: 'privacy-exports/<request id>.zip',
      about: "an access request's archive: the person's transcripts, notes, wrap-ups, timelines and recordings",
      subject: 'customer',
      find: { interactionColumn: "the export request's interactionIds (the file is named by the request id)" },
      erase: { kind: 'delete' },
      retention: 'transcripts',
    },
  ],
};
