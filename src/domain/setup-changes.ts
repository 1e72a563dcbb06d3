/**
 * Setup Audit Trail `Action` codes that can let an attacker back in, or keep access, after the
 * sessions are gone. Pure: no Salesforce code.
 *
 * Salesforce does not publish the list of `Action` values (the object reference gives one example,
 * `PermSetCreate`, and says `Display` has the detail). The codes below come from public catalogues
 * of observed values (a community "Setup Audit Trail Reference" with Section and Display examples,
 * sfdx-hardis' audit-trail diagnosis, Elastic's Salesforce integration samples). Each entry says so
 * in `source`: 'catalogue' = seen in those catalogues with a matching Section/Display example;
 * 'unconfirmed' = named in a catalogue without an example. Codes are compared case-insensitively
 * because the catalogues spell them both ways (`suOrgAdminLogin`, `changedemail`).
 */

export type WayBackInClass =
  | 'permission-assigned'
  | 'profile-changed'
  | 'connected-app'
  | 'identity-changed'
  | 'mfa-changed'
  | 'login-as-granted'
  | 'password-changed'
  | 'named-credential'
  | 'user-created';

export const WAY_BACK_IN_CLASSES: Readonly<Record<WayBackInClass, { label: string; advice: string }>> = {
  'permission-assigned': {
    label: 'Permission set or group assigned',
    advice: 'Check the assignment in Setup → Users → Permission Set Assignments; remove it unless someone you trust asked for it.',
  },
  'profile-changed': {
    label: 'Profile changed',
    advice: "Put the user's profile back to what it was (Setup → Users → Edit) and check what the new profile allows.",
  },
  'connected-app': {
    label: 'Connected app created, installed or changed',
    advice: 'Review the app in Setup → App Manager / Connected Apps OAuth Usage; block or delete it and revoke its tokens if nobody you trust made it.',
  },
  'identity-changed': {
    label: 'E-mail, username or federation id changed',
    advice: 'Restore the old value: a changed e-mail or federation id lets the attacker reset the password or sign in through SSO.',
  },
  'mfa-changed': {
    label: 'MFA method added or removed',
    advice: 'Remove verification methods the person did not register (Setup → Users → user → Advanced User Details → Disconnect).',
  },
  'login-as-granted': {
    label: 'Login-As access granted',
    advice: 'Revoke the login access grant (the user’s Settings → Grant Account Login Access, or Setup → Login Access Policies).',
  },
  'password-changed': {
    label: 'Password changed or reset',
    advice: 'Reset the password again, so a password the attacker set or saw stops working.',
  },
  'named-credential': {
    label: 'Named or external credential changed',
    advice: 'Check the endpoint and secret in Setup → Named Credentials; a changed URL sends data out, a changed secret keeps access elsewhere.',
  },
  'user-created': {
    label: 'User created or activated',
    advice: 'Deactivate users nobody asked for; the attacker can sign in as them after this account is contained.',
  },
};

type Source = 'catalogue' | 'unconfirmed';

const ACTIONS: ReadonlyArray<readonly [string, WayBackInClass, Source]> = [
  ['PermSetAssign', 'permission-assigned', 'catalogue'],
  ['PermSetAssign_HasExpiration', 'permission-assigned', 'catalogue'],
  ['PermSetGroupAssign', 'permission-assigned', 'catalogue'],
  ['PermSetLicenseAssign', 'permission-assigned', 'catalogue'],
  ['PermSetEnableUserPerm', 'permission-assigned', 'unconfirmed'],
  ['changedprofileforuser', 'profile-changed', 'catalogue'],
  ['changedprofileforusercusttostd', 'profile-changed', 'catalogue'],
  ['changedprofileforuserstdtocust', 'profile-changed', 'catalogue'],
  ['changedprofileforuserstdtostd', 'profile-changed', 'catalogue'],
  ['insertApplication', 'connected-app', 'catalogue'],
  ['insertConnectedApplication', 'connected-app', 'catalogue'],
  ['insertApplicationCertificate', 'connected-app', 'catalogue'],
  ['changeApplicationCertificate', 'connected-app', 'catalogue'],
  ['changeApplicationCallbackUrl', 'connected-app', 'catalogue'],
  ['changeOauthDefaultScope', 'connected-app', 'catalogue'],
  ['changeUserRuntimeAccessPolicy', 'connected-app', 'catalogue'],
  ['changeIpRelaxationPolicy', 'connected-app', 'catalogue'],
  ['addOauthClientCredentialUser', 'connected-app', 'catalogue'],
  ['changeApplicationClientCredentialEnabled', 'connected-app', 'catalogue'],
  ['unblockConnectedApplication', 'connected-app', 'catalogue'],
  ['generateOauthStagedCredential', 'connected-app', 'catalogue'],
  ['enableOauth', 'connected-app', 'catalogue'],
  ['updateConnectedApplication', 'connected-app', 'unconfirmed'],
  ['connectedAppOauthPolicyChange', 'connected-app', 'unconfirmed'],
  ['changedemail', 'identity-changed', 'catalogue'],
  ['useremailchangesent', 'identity-changed', 'catalogue'],
  ['changedusername', 'identity-changed', 'catalogue'],
  ['changedfederationid', 'identity-changed', 'catalogue'],
  ['changedUserPhoneNumber', 'mfa-changed', 'catalogue'],
  ['insertTwoFactorInfo2', 'mfa-changed', 'catalogue'],
  ['deleteTwoFactorInfo2', 'mfa-changed', 'catalogue'],
  ['insertTwoFactorWebAuthN', 'mfa-changed', 'catalogue'],
  ['insertAuthenticatorPairing', 'mfa-changed', 'catalogue'],
  ['deleteAuthenticatorPairing', 'mfa-changed', 'catalogue'],
  ['insertTwoFactorTempCode', 'mfa-changed', 'catalogue'],
  ['lightningloginenroll', 'mfa-changed', 'catalogue'],
  ['registeredUserPhoneNumber', 'mfa-changed', 'catalogue'],
  ['loginasgrantedtosfdc', 'login-as-granted', 'catalogue'],
  ['loginasgrantedtopartnerbt', 'login-as-granted', 'catalogue'],
  ['loginasmodifiedtosfdc', 'login-as-granted', 'catalogue'],
  ['loginasmodifiedtopartnerbt', 'login-as-granted', 'catalogue'],
  ['overridegrantaccessenabledoff', 'login-as-granted', 'catalogue'],
  ['changedpassword', 'password-changed', 'catalogue'],
  ['resetpassword', 'password-changed', 'catalogue'],
  ['namedCredentialInsert', 'named-credential', 'catalogue'],
  ['namedCredentialFieldChange', 'named-credential', 'catalogue'],
  ['namedCredentialEncryptedFieldChange', 'named-credential', 'catalogue'],
  ['namedCredentialParameterInsert', 'named-credential', 'catalogue'],
  ['namedCredentialParameterFieldsChange', 'named-credential', 'catalogue'],
  ['externalCredentialInsert', 'named-credential', 'catalogue'],
  ['externalCredentialParameterInsert', 'named-credential', 'catalogue'],
  ['namedCredentialCreated', 'named-credential', 'unconfirmed'],
  ['createduser', 'user-created', 'catalogue'],
  ['activateduser', 'user-created', 'catalogue'],
  ['createdpartneruser', 'user-created', 'catalogue'],
  ['createdcustomersuccessuser', 'user-created', 'catalogue'],
];

const BY_ACTION = new Map(ACTIONS.map(([action, cls, source]) => [action.toLowerCase(), { cls, source }]));

/**
 * Sections whose changes matter even when the action code is not in the table: the catalogues are
 * never complete, and a new code under "Named Credentials" is still a credential change.
 */
const BY_SECTION = new Map<string, WayBackInClass>([
  ['named credentials', 'named-credential'],
  ['external credentials', 'named-credential'],
  ['connected apps', 'connected-app'],
]);

export interface SetupChangeClass {
  cls: WayBackInClass;
  /** 'section' when only the Section matched: the code itself is unknown to the bot. */
  source: Source | 'section';
}

/** The way back in a Setup change opens, or null when it opens none the bot knows of. */
export function classifySetupChange(action: string, section: string | null): SetupChangeClass | null {
  const known = BY_ACTION.get(action.trim().toLowerCase());
  if (known) return { cls: known.cls, source: known.source };
  const bySection = section ? BY_SECTION.get(section.trim().toLowerCase()) : undefined;
  return bySection ? { cls: bySection, source: 'section' } : null;
}

/** Every action code the classifier knows, for the README and the tests. */
export function knownActions(): ReadonlyArray<{ action: string; cls: WayBackInClass; source: Source }> {
  return ACTIONS.map(([action, cls, source]) => ({ action, cls, source }));
}
