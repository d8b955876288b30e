import { expect } from '@open-wc/testing';
import { parseCsv } from '../../src/data/csv';
import { DataError } from '../../src/data/dataset';
import { parseJsonData, readJsonData } from '../../src/data/json-data';

const fixture = async (name: string) => (await fetch(`/test/fixtures/${name}`)).text();

function caught(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

describe('JSON data reader', () => {
  it('reads an array of {x, label} as the CSV of the same rows reads', async () => {
    const iris = parseCsv(await fixture('iris.csv'));
    const items = Array.from({ length: iris.count }, (_, i) => ({
      x: Array.from(iris.inputs.subarray(i * 4, (i + 1) * 4)),
      label: iris.classNames[iris.labels[i]],
      id: i,
    }));
    const d = parseJsonData(JSON.stringify(items), { file: 'iris.json' });
    expect(d.featureNames).to.deep.equal(['x1', 'x2', 'x3', 'x4']);
    expect({ ...d, featureNames: iris.featureNames }).to.deep.equal(iris);
    const text = JSON.stringify(items);
    const chunks = Array.from({ length: Math.ceil(text.length / 600) }, (_, i) =>
      text.slice(i * 600, (i + 1) * 600),
    );
    expect(chunks.join('')).to.equal(text);
    expect(await readJsonData(chunks)).to.deep.equal(d);
  });

  it('takes integer labels in numeric order', () => {
    const d = parseJsonData('[{"x":[1],"label":10},{"x":[2],"label":2},{"x":[3],"label":"2"}]');
    expect(d.classNames).to.deep.equal(['2', '10']);
    expect(Array.from(d.labels)).to.deep.equal([1, 0, 0]);
  });

  it('rejects every file of the bad corpus with its message', async () => {
    const expected = (await (await fetch('/test/fixtures/bad/expected.json')).json()) as {
      file: string;
      message: string;
      prefix?: boolean;
    }[];
    const corpus = expected.filter((b) => b.file.endsWith('.json'));
    expect(corpus.length).to.be.greaterThan(8);
    for (const { file, message, prefix } of corpus) {
      const e = caught(() => parseJsonData(text(file), { file }));
      if (prefix) expect(e.message.startsWith(`${file}: ${message}`), e.message).to.equal(true);
      else expect(e.message, file).to.equal(`${file}: ${message}`);
    }
    function text(file: string): string {
      return texts.get(file)!;
    }
  });

  it('names the item and the index into x in fields too', () => {
    const e = caught(() => parseJsonData('[{"x":[1,2],"label":"a"},{"x":[1,null],"label":"a"}]'));
    expect(e.message).to.equal('data: item 2, x[1]: expected a number, got null');
    expect([e.reason, e.row, e.column]).to.deep.equal(['cell', 2, 2]);
  });

  it('refuses a file over the byte budget, before parsing', async () => {
    const big = '[' + Array(50).fill('{"x":[1],"label":"a"}').join(',') + ']';
    expect(caught(() => parseJsonData(big, { file: 'b.json', maxBytes: 100 })).message).to.equal(
      `b.json: ${big.length} bytes, over the budget of 100 bytes`,
    );
    expect(
      caught(() => parseJsonData('[]', { file: 'b.json', size: 101, maxBytes: 100 })).reason,
    ).to.equal('too-large');
    let e: unknown;
    await readJsonData([big.slice(0, 60), big.slice(60)], { file: 'b.json', maxBytes: 100 }).catch(
      (err) => (e = err),
    );
    expect((e as Error).message).to.equal(
      'b.json: more than 100 bytes, over the budget of 100 bytes',
    );
  });
});

const texts = new Map<string, string>();
before(async () => {
  const expected = (await (await fetch('/test/fixtures/bad/expected.json')).json()) as {
    file: string;
  }[];
  for (const { file } of expected) texts.set(file, await fixture(`bad/${file}`));
});
