import { describe, expect, it } from 'vitest';
import { readSettings } from '../../../shared/settings.ts';
import { readOutboxSettings } from '../../../shared/services/notifications/runtime.ts';

const jwt = { STINT_JWT_ISSUER: 'https://issuer', STINT_JWT_AUDIENCE: 'stint', STINT_JWKS_URL: 'https://issuer/jwks', STINT_PAGE_TOKEN_SECRET: 's' };

describe('notification settings', () => {
  it('has local defaults, so the API settings read without them', () => {
    const settings = readSettings(jwt);
    expect(settings.api.pageTokenSecret).toBe('s');
    expect(settings.notifications).toEqual({
      portalUrl: 'http://localhost:3000/portal',
      mailFrom: 'pim@contoso.test',
      sesEndpoint: undefined,
      eventBusName: undefined,
    });
  });

  it('reads the portal, sender, SES endpoint and bus from the environment', () => {
    expect(
      readSettings({
        STINT_PORTAL_URL: 'https://pim.contoso.com/',
        STINT_MAIL_FROM: 'pim@contoso.com',
        STINT_SES_ENDPOINT: 'http://127.0.0.1:8005',
        STINT_EVENT_BUS: 'stint',
      }).notifications,
    ).toEqual({
      portalUrl: 'https://pim.contoso.com',
      mailFrom: 'pim@contoso.com',
      sesEndpoint: 'http://127.0.0.1:8005',
      eventBusName: 'stint',
    });
  });

  it('needs no JWT settings for the stream function', () => {
    expect(readOutboxSettings({ STINT_TABLE_NAME: 't1', AWS_REGION: 'eu-west-1' })).toMatchObject({
      tableName: 't1',
      region: 'eu-west-1',
      portalUrl: 'http://localhost:3000/portal',
    });
  });
});
