/**
 * docs/deploy.md, read as a first-time deployer would and run where synth can: every stage file in it
 * synthesizes; its settings table is the schema's; every command it gives is a script that exists, names
 * a stage the guide wrote, and passes no -c but stage and accept; every output it reads is one the
 * template has, and only after the step that deploys; the cdk import mapping names the logical ids the
 * kept resources have. Bundling is skipped: this reads names and settings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/constructs/stint-function.ts';
import { stageCommandArgs, STAGE_COMMANDS } from '../../infra/stage/command.ts';
import { STINT_CONTEXT } from '../../infra/stage/load.ts';
import { STAGE_KEYS } from '../../infra/stage/schema.ts';
import { removeStageDirs, stagesDir, synthStage, writeStage } from './stage-fixture.ts';

const guide = readFileSync(join(REPO_ROOT, 'docs/deploy.md'), 'utf8');
const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts);

/** Fenced blocks with their info string and where they start, in the guide's order. */
const blocks = [...guide.matchAll(/^( *)```(\S*)([^\n]*)\n([\s\S]*?)^\1```/gm)].map((m) => ({
  lang: m[2]!,
  info: m[3]!.trim(),
  body: m[4]!.replace(new RegExp(`^${m[1]}`, 'gm'), ''),
  at: m.index!,
}));
const stageBlocks = blocks
  .filter((b) => b.lang === 'json' && /^stage=/.test(b.info))
  .map((b) => ({ name: b.info.slice('stage='.length), settings: JSON.parse(b.body) }));
/** Shell lines, continuation lines joined, comments dropped, with their block's position. */
const shellLines = blocks
  .filter((b) => b.lang === 'sh')
  .flatMap((b) =>
    b.body
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => ({ line: line.replace(/\s+#.*$/, '').trim(), at: b.at }))
      .filter((l) => l.line),
  );

let dir: string;
const templates = new Map<string, Record<string, any>>();

beforeAll(() => {
  dir = stagesDir();
  for (const { name, settings } of stageBlocks) writeStage(dir, name, settings);
  for (const { name } of stageBlocks) templates.set(name, Template.fromStack(synthStage(dir, name).stack).toJSON());
});

afterAll(removeStageDirs);

describe('the guide', () => {
  it('gives a stage file for Cognito, Entra ID, Okta and AWS access, and each synthesizes as written', () => {
    expect(stageBlocks.map((s) => s.name)).toEqual(['stint-prod', 'stint-entra', 'stint-okta', 'stint-aws']);
    expect(templates.get('stint-prod')!.Resources).toSatisfy((r: object) => Object.values(r).some((x) => x.Type === 'AWS::Cognito::UserPool'));
    const issuers = ['stint-entra', 'stint-okta'].map((n) => JSON.stringify(templates.get(n)!.Resources).match(/"STINT_JWT_ISSUER":"([^"]+)"/)?.[1]);
    expect(issuers).toEqual([stageBlocks[1]!.settings.jwtIssuer, stageBlocks[2]!.settings.jwtIssuer]);
  });

  it('lists exactly the settings the schema takes', () => {
    const section = guide.slice(guide.indexOf('## 2. Settings'), guide.indexOf('## 3. Identity'));
    const documented = [...section.matchAll(/^\| ((?:`[^`]+`(?:, )?)+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([^`]+)`/g)].map((k) => k[1]!));
    expect(documented.filter((k) => !k.includes(' ')).sort()).toEqual([...STAGE_KEYS].sort());
  });

  it('runs only scripts that exist, for stages it wrote, with no -c but stage and accept, and never a bare cdk deploy or destroy', () => {
    const npm = shellLines.filter((l) => /\bnpm run /.test(l.line));
    expect(npm.length).toBeGreaterThan(5);
    for (const { line } of npm) {
      const [, script, rest = ''] = line.match(/npm run ([\w:-]+)(?: -- (.*))?/)!;
      expect(scripts, line).toContain(script);
      const args = rest.split(/\s+/).filter(Boolean);
      if ((STAGE_COMMANDS as readonly string[]).includes(script!)) expect(stageCommandArgs([script!, ...args], dir), line).toContain(`stage=${args[0]}`);
      if (script === 'synth')
        expect(
          stageBlocks.map((s) => s.name),
          line,
        ).toContain(args.join(' ').match(/-c stage=(\S+)/)?.[1]);
    }
    for (const { line } of shellLines) {
      for (const [, key] of line.matchAll(/-c (\w+)=/g)) expect(STINT_CONTEXT, line).toContain(key);
      expect(line).not.toMatch(/\bcdk (deploy|destroy|diff|import)\b/);
    }
  });

  it('reads only outputs the template has, and only after the step that deploys', () => {
    const deployedAt = shellLines.find((l) => /npm run deploy -- /.test(l.line))!.at;
    const definedAt = shellLines.find((l) => l.line.startsWith('OUT() '))!.at;
    expect(definedAt).toBeGreaterThan(deployedAt);
    const outputs = new Set([...templates.values()].flatMap((t) => Object.keys(t.Outputs)));
    const reads = shellLines.flatMap((l) => [...l.line.matchAll(/(?:^|\$\(|; )OUT (\w+)/g)].map((m) => ({ name: m[1]!, at: l.at })));
    expect(reads.length).toBeGreaterThan(5);
    for (const read of reads) {
      expect(outputs, read.name).toContain(read.name);
      expect(read.at).toBeGreaterThanOrEqual(definedAt);
    }
  });

  it("maps cdk import's resources to the logical ids the kept table and pool have", () => {
    const mapping = JSON.parse(blocks.find((b) => b.info === 'import-mapping')!.body);
    const prod = stageBlocks.find((s) => s.name === 'stint-prod')!.settings;
    const retainedDir = stagesDir({ 'stint-prod': { ...prod, importRetained: true } });
    const retained = Template.fromStack(synthStage(retainedDir, 'stint-prod').stack).toJSON().Resources;
    expect(Object.keys(mapping).sort()).toEqual(Object.keys(retained).sort());
    const identifier: Record<string, string> = { 'AWS::DynamoDB::Table': 'TableName', 'AWS::Cognito::UserPool': 'UserPoolId' };
    for (const [id, value] of Object.entries(mapping)) expect(Object.keys(value as object)).toEqual([identifier[retained[id].Type]]);
  });
});
