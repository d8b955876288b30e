import { expect } from '@open-wc/testing';
import { CsvReader, parseCsv, readCsv } from '../../src/data/csv';
import { DataError } from '../../src/data/dataset';

const fixture = async (name: string) => (await fetch(`/test/fixtures/${name}`)).text();
const bad = async () =>
  (await (await fetch('/test/fixtures/bad/expected.json')).json()) as {
    file: string;
    message: string;
    prefix?: boolean;
  }[];

/** The DataError that `f` throws. */
function caught(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

describe('CSV reader', () => {
  it('reads the Iris fixture: 150 rows, 4 features, 3 classes in sorted order', async () => {
    const d = parseCsv(await fixture('iris.csv'), { file: 'iris.csv' });
    expect([d.count, d.dim]).to.deep.equal([150, 4]);
    expect(d.featureNames).to.deep.equal([
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
    ]);
    expect(d.classNames).to.deep.equal(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(d.inputs.subarray(0, 4))).to.deep.equal(
      [5.1, 3.5, 1.4, 0.2].map(Math.fround),
    );
    expect([d.labels[0], d.labels[50], d.labels[149]]).to.deep.equal([0, 1, 2]);
    for (let c = 0; c < 3; c++) expect(d.labels.filter((l) => l === c).length).to.equal(50);
  });

  it('takes the label column by name, anywhere', async () => {
    const last = parseCsv(await fixture('iris.csv'));
    const first = parseCsv(await fixture('iris-species-first.csv'), { label: 'species' });
    expect(first).to.deep.equal(last);
    const byName = parseCsv('a,kind,b\n1,x,2\n3,y,4\n', { label: 'kind' });
    expect(byName.featureNames).to.deep.equal(['a', 'b']);
    expect(Array.from(byName.inputs)).to.deep.equal([1, 2, 3, 4]);
  });

  it('reads integer labels, quotes, CRLF, a BOM, blank lines and spaces', () => {
    const d = parseCsv(
      '\uFEFF"a, b",c,"the ""label"""\r\n 1 ,-2.5e1,10\r\n\r\n.5,3,2\r\n"7",8,"2"',
    );
    expect(d.featureNames).to.deep.equal(['a, b', 'c']);
    expect(d.classNames).to.deep.equal(['2', '10']);
    expect(Array.from(d.labels)).to.deep.equal([1, 0, 0]);
    expect(Array.from(d.inputs)).to.deep.equal([1, -25, 0.5, 3, 7, 8]);
  });

  it('reads the same from chunks cut anywhere, quotes and CRLF included', async () => {
    const text = 'x,"y ""q""",label\r\n1,2,"a,b"\r\n3,4,"c""d"\r\n';
    const whole = parseCsv(text);
    expect(whole.classNames).to.deep.equal(['a,b', 'c"d']);
    for (let size = 1; size < 8; size++) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
        text.slice(i * size, (i + 1) * size),
      );
      expect(await readCsv(chunks)).to.deep.equal(whole);
    }
  });

  it('rejects every file of the bad corpus with its message', async () => {
    const corpus = (await bad()).filter((b) => b.file.endsWith('.csv'));
    expect(corpus.length).to.be.greaterThan(10);
    for (const { file, message } of corpus) {
      const text = await fixture(`bad/${file}`);
      const err = caught(() => parseCsv(text, { file }));
      expect(err.message, file).to.equal(`${file}: ${message}`);
      expect(err.file).to.equal(file);
    }
  });

  it('names the row and the column in fields too', () => {
    const e = caught(() => parseCsv('a,b,l\n1,2,x\n1,q,y\n', { file: 'f.csv' }));
    expect([e.reason, e.row, e.column]).to.deep.equal(['cell', 3, 2]);
  });

  it('rejects an unknown label column, listing the columns', () => {
    const e = caught(() => parseCsv('a,b,label\n1,2,x\n', { file: 'f.csv', label: 'kind' }));
    expect(e.message).to.equal(
      'f.csv: header: no column named "kind" for the label (columns: a, b, label)',
    );
    expect(e.reason).to.equal('label-column');
  });

  it('refuses a file over the byte budget before reading it, or as soon as it passes it', () => {
    const before = caught(() => new CsvReader({ file: 'big.csv', size: 101, maxBytes: 100 }));
    expect(before.message).to.equal('big.csv: 101 bytes, over the budget of 100 bytes');
    const reader = new CsvReader({ file: 'big.csv', maxBytes: 100 });
    reader.push('a,label\n');
    let pushed = 0;
    const e = caught(() => {
      for (;;) {
        reader.push('1,x\n'.repeat(10));
        pushed++;
      }
    });
    expect(e.message).to.equal('big.csv: more than 100 bytes, over the budget of 100 bytes');
    expect(pushed).to.equal(2);
    // Multi-byte characters count as their UTF-8 bytes.
    const utf8 = caught(() => parseCsv('a,l\n1,€€€€\n', { file: 'e.csv', maxBytes: 15 }));
    expect(utf8.reason).to.equal('too-large');
  });

  it('holds to the row and column limits', () => {
    const rows = caught(() => parseCsv('a,l\n1,x\n2,y\n3,z\n', { file: 'f.csv', maxRows: 2 }));
    expect(rows.message).to.equal('f.csv: row 4: more than 2 rows, the limit');
    const cols = caught(() => parseCsv('a,b,c,l\n1,2,3,x\n', { file: 'f.csv', maxColumns: 3 }));
    expect(cols.message).to.equal('f.csv: row 1: more than 3 cells, expected at most 3 columns');
  });
});
