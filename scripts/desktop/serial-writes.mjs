// Loaded into the Electronegativity process (scripts/desktop/electronegativity.ts). The tool writes
// its CSV header (truncating the file) and then its rows (appending) with two fs.writeFile calls it
// does not wait for; under load the header sometimes landed over the first row. Here fs.writeFile
// runs its calls one after another, in call order, so the report is always header then rows.
import fs from 'node:fs';

const writeFile = fs.writeFile;
let tail = Promise.resolve();
fs.writeFile = function serialWriteFile(file, data, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  const opts = typeof options === 'function' || options === undefined ? {} : options;
  tail = tail.then(
    () =>
      new Promise((resolve) => {
        writeFile.call(fs, file, data, opts, (err) => {
          resolve();
          if (done) done(err);
        });
      }),
  );
};
