import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..');
const schemaPath = path.join(__dirname, 'fixtures/slack-manifest-schema/slack-app-manifest.schema.json');

interface Manifest {
  features: { slash_commands: { command: string; should_escape?: boolean; url?: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { socket_mode_enabled: boolean; interactivity: { is_enabled: boolean; request_url?: string } };
}

function validator() {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
  // The schema only uses format "uri"; a small check keeps ajv strict without ajv-formats.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  return ajv.compile(schema);
}

describe('manifest.yml', () => {
  const manifest = parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8')) as Manifest;

  it("validates against Slack's app-manifest schema", () => {
    const validate = validator();
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema rejects a broken manifest (the check can fail)', () => {
    const validate = validator();
    const broken = { ...manifest, display_information: { name: '' }, settings: { ...manifest.settings, bogus: 1 } };
    expect(validate(broken)).toBe(false);
  });

  it('declares /sessions with escaping, Socket Mode, interactivity and only the scopes the bot uses', () => {
    const cmd = manifest.features.slash_commands.find((c) => c.command === '/sessions');
    expect(cmd?.should_escape).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'channels:history',
      'chat:write',
      'commands',
      'files:write',
      'groups:history',
      'usergroups:read',
      'users:read',
      'users:read.email',
    ]);
  });

  it('the HTTP-mode variant described in the README also validates', () => {
    const http = structuredClone(manifest);
    http.settings.socket_mode_enabled = false;
    http.settings.interactivity.request_url = 'https://warden.example.com/slack/events';
    for (const c of http.features.slash_commands) c.url = 'https://warden.example.com/slack/events';
    const validate = validator();
    expect(validate(http)).toBe(true);
  });
});
