// Checks the packaged .vsix named by PERFECTEX_VSIX: it holds the manifest, the compiled entry point the
// manifest names, the runtime dependency, and none of the sources, tests or source maps. Reads the zip's
// central directory directly, so it needs no unzip tool.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inflateRawSync } from 'node:zlib';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const endOfCentralDirectory = 0x06054b50;
const centralDirectoryHeader = 0x02014b50;
const localFileHeader = 0x04034b50;

function entries(zip: Buffer): Map<string, ZipEntry> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== endOfCentralDirectory) {
    end -= 1;
  }
  assert.ok(end >= 0, 'no end-of-central-directory record: not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const result = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i += 1) {
    assert.equal(zip.readUInt32LE(offset), centralDirectoryHeader, `central directory entry ${i} is damaged`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    result.set(name, {
      name,
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return result;
}

function content(zip: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeaderOffset;
  assert.equal(zip.readUInt32LE(header), localFileHeader, `the local header of ${entry.name} is damaged`);
  const start = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  return entry.method === 8 ? inflateRawSync(data) : data;
}

const vsixPath = process.env.PERFECTEX_VSIX;
if (vsixPath === undefined) {
  throw new Error('set PERFECTEX_VSIX to the packaged extension');
}

describe('the packaged extension', () => {
  const zip = readFileSync(vsixPath);
  const files = entries(zip);
  const names = [...files.keys()];

  it('carries the manifest with its commands and settings', () => {
    const entry = files.get('extension/package.json');
    assert.ok(entry, `no extension/package.json among ${names.length} files`);
    const manifest = JSON.parse(content(zip, entry).toString('utf8')) as {
      main: string;
      contributes: { commands: { command: string }[]; configuration: { properties: Record<string, unknown> } };
    };
    assert.deepEqual(
      manifest.contributes.commands.map((command) => command.command),
      ['perfectex.restartServer', 'perfectex.showServerStatistics'],
    );
    assert.ok('perfectex.rules' in manifest.contributes.configuration.properties);
    const main = `extension/${manifest.main.replace(/^\.\//, '')}`;
    assert.ok(files.has(main), `the entry point ${main} is missing`);
    assert.match(content(zip, files.get(main) ?? assert.fail()).toString('utf8'), /vscode-languageclient\/node/);
  });

  it('carries the runtime dependencies the entry point loads', () => {
    for (const dependency of ['vscode-languageclient', 'vscode-languageserver-protocol', 'vscode-jsonrpc']) {
      assert.ok(files.has(`extension/node_modules/${dependency}/package.json`), `${dependency} is not packaged`);
    }
  });

  it('holds only the manifest, the readme and the compiled sources besides the dependencies', () => {
    const own = names.filter((name) => !name.startsWith('extension/node_modules/'));
    const unexpected = own.filter(
      (name) => !/^(extension\.vsixmanifest|\[Content_Types\]\.xml|extension\/(package\.json|readme\.md|out\/src\/\w+\.js))$/.test(name),
    );
    assert.deepEqual(unexpected, []);
  });

  it('leaves out source maps, type declarations and development tools', () => {
    const unwanted = names.filter((name) => /\.(map|ts)$|^extension\/node_modules\/(typescript|eslint|@vscode\/vsce)\//.test(name));
    assert.deepEqual(unwanted, []);
  });
});
