/**
 * The slice of Salesforce's schema that the stand-in serves. Field names, types, relationship
 * names and filterability follow ../shared/reference/salesforce.md; the SOQL evaluator judges
 * queries against this, so a field missing here is an INVALID_FIELD like in a real org.
 */

export type FieldType = 'id' | 'reference' | 'string' | 'picklist' | 'datetime' | 'date' | 'int' | 'double' | 'boolean';

export interface FieldDef {
  type: FieldType;
  /** Defaults to true. LoginHistory.Status is the famous false. */
  filterable?: boolean;
  /** Defaults to true. */
  sortable?: boolean;
  /** For references: the object and the relationship name used in SOQL paths. */
  referenceTo?: string;
  relationshipName?: string;
  /** Defaults to false: PATCH may change it. */
  updatable?: boolean;
}

export interface ObjectDef {
  name: string;
  /** Three-character Id prefix; null for objects whose Id is always null (OauthToken). */
  keyPrefix: string | null;
  deletable: boolean;
  fields: Record<string, FieldDef>;
}

const ref = (referenceTo: string, relationshipName: string | undefined, extra: Partial<FieldDef> = {}): FieldDef => ({
  type: 'reference',
  referenceTo,
  ...(relationshipName ? { relationshipName } : {}),
  ...extra,
});
const s: FieldDef = { type: 'string' };
const pick: FieldDef = { type: 'picklist' };
const dt: FieldDef = { type: 'datetime' };
const bool: FieldDef = { type: 'boolean' };
const int: FieldDef = { type: 'int' };
const dbl: FieldDef = { type: 'double' };
const id: FieldDef = { type: 'id' };

export const SCHEMA: Record<string, ObjectDef> = {
  Organization: {
    name: 'Organization',
    keyPrefix: '00D',
    deletable: false,
    fields: { Id: id, Name: s, OrganizationType: s, IsSandbox: bool, InstanceName: s },
  },
  Profile: {
    name: 'Profile',
    keyPrefix: '00e',
    deletable: false,
    fields: { Id: id, Name: s, UserType: pick },
  },
  User: {
    name: 'User',
    keyPrefix: '005',
    deletable: false,
    fields: {
      Id: id,
      Username: s,
      Name: s,
      FirstName: s,
      LastName: s,
      Email: s,
      IsActive: { type: 'boolean', updatable: true },
      UserType: pick,
      ProfileId: ref('Profile', 'Profile'),
      TimeZoneSidKey: pick,
      LastLoginDate: dt,
      CreatedDate: dt,
      LastModifiedDate: dt,
    },
  },
  UserLogin: {
    name: 'UserLogin',
    keyPrefix: '060',
    deletable: false,
    fields: {
      Id: id,
      UserId: ref('User', undefined),
      IsFrozen: { type: 'boolean', updatable: true },
      IsPasswordLocked: { type: 'boolean', updatable: true },
      LastModifiedDate: dt,
    },
  },
  LoginGeo: {
    name: 'LoginGeo',
    keyPrefix: '04F',
    deletable: false,
    fields: {
      Id: id,
      City: s,
      Country: s,
      CountryIso: s,
      Subdivision: s,
      PostalCode: s,
      Latitude: dbl,
      Longitude: dbl,
      LoginTime: dt,
    },
  },
  LoginHistory: {
    name: 'LoginHistory',
    keyPrefix: '0Ya',
    deletable: false,
    fields: {
      Id: id,
      UserId: ref('User', undefined),
      LoginTime: dt,
      SourceIp: s,
      Status: { type: 'string', filterable: false },
      LoginType: pick,
      LoginSubType: pick,
      Application: { type: 'string', filterable: false },
      Browser: { type: 'string', filterable: false },
      Platform: { type: 'string', filterable: false },
      ClientVersion: { type: 'string', filterable: false },
      LoginUrl: s,
      ApiType: { type: 'string', filterable: false },
      ApiVersion: { type: 'string', filterable: false },
      CountryIso: s,
      TlsProtocol: pick,
      LoginGeoId: ref('LoginGeo', 'LoginGeo'),
    },
  },
  AuthSession: {
    name: 'AuthSession',
    keyPrefix: '0Ak',
    deletable: true,
    fields: {
      Id: id,
      UsersId: ref('User', 'Users'),
      CreatedDate: dt,
      LastModifiedDate: dt,
      NumSecondsValid: int,
      SessionType: pick,
      LoginType: pick,
      SessionSecurityLevel: pick,
      SourceIp: s,
      UserType: pick,
      LogoutUrl: s,
      LoginHistoryId: ref('LoginHistory', 'LoginHistory'),
      LoginGeoId: ref('LoginGeo', 'LoginGeo'),
      ParentId: ref('AuthSession', 'Parent'),
      IsCurrent: bool,
      IsAssociatedWithJwtAccessToken: bool,
    },
  },
  // Investigation sources (issue 18). Field names and filterability from the object reference
  // (SetupAuditTrail, VerificationHistory, EventLogFile); key prefixes 0Ym and 0AT are the real
  // ones, 1VH is made up (the reference does not list VerificationHistory's).
  SetupAuditTrail: {
    name: 'SetupAuditTrail',
    keyPrefix: '0Ym',
    deletable: false,
    fields: {
      Id: id,
      Action: s,
      Section: { type: 'string', filterable: false },
      Display: { type: 'string', filterable: false },
      CreatedById: ref('User', 'CreatedBy'),
      CreatedDate: dt,
      DelegateUser: s,
      CreatedByContext: s,
      CreatedByIssuer: s,
      ResponsibleNamespacePrefix: s,
    },
  },
  VerificationHistory: {
    name: 'VerificationHistory',
    keyPrefix: '1VH',
    deletable: false,
    fields: {
      Id: id,
      UserId: ref('User', 'User'),
      VerificationTime: dt,
      Activity: pick,
      VerificationMethod: pick,
      Status: pick,
      Policy: pick,
      Remarks: { type: 'string', filterable: false },
      SourceIp: s,
      EventGroup: int,
      LoginHistoryId: ref('LoginHistory', 'LoginHistory'),
      LoginGeoId: ref('LoginGeo', 'LoginGeo'),
      ResourceId: s,
      CreatedDate: dt,
    },
  },
  // Real-Time Event Monitoring storage (big objects; Shield or the Event Monitoring add-on). Which
  // fields a query may filter on is not documented per object here; the stand-in allows EventDate,
  // UserId and LoginKey (UNCONFIRMED), and the bot filters by UserId and EventDate only.
  ApiEvent: {
    name: 'ApiEvent',
    keyPrefix: '0bF',
    deletable: false,
    fields: {
      Id: id,
      EventDate: dt,
      EventIdentifier: s,
      UserId: ref('User', 'User'),
      Username: s,
      LoginKey: s,
      SessionKey: s,
      LoginHistoryId: ref('LoginHistory', 'LoginHistory'),
      SourceIp: s,
      Operation: pick,
      QueriedEntities: { type: 'string', filterable: false },
      RowsProcessed: dbl,
      Application: { type: 'string', filterable: false },
      ApiType: { type: 'string', filterable: false },
    },
  },
  ReportEvent: {
    name: 'ReportEvent',
    keyPrefix: '0bG',
    deletable: false,
    fields: {
      Id: id,
      EventDate: dt,
      EventIdentifier: s,
      UserId: ref('User', 'User'),
      Username: s,
      LoginKey: s,
      SessionKey: s,
      LoginHistoryId: ref('LoginHistory', 'LoginHistory'),
      SourceIp: s,
      Operation: pick,
      ReportId: s,
      QueriedEntities: { type: 'string', filterable: false },
      RowsProcessed: dbl,
    },
  },
  EventLogFile: {
    name: 'EventLogFile',
    keyPrefix: '0AT',
    deletable: false,
    fields: {
      Id: id,
      EventType: pick,
      LogDate: dt,
      Interval: pick,
      Sequence: int,
      LogFileLength: dbl,
      LogFileContentType: s,
      LogFileFieldNames: { type: 'string', filterable: false },
      ApiVersion: dbl,
      CreatedDate: dt,
    },
  },
  // The integration user's effective permissions (issue 15): PermissionSet (the profile's own is
  // IsOwnedByProfile) through PermissionSetAssignment. Real key prefixes 0PS and 0Pa.
  PermissionSet: {
    name: 'PermissionSet',
    keyPrefix: '0PS',
    deletable: false,
    fields: {
      Id: id,
      Name: s,
      Label: s,
      IsOwnedByProfile: bool,
      ProfileId: ref('Profile', 'Profile'),
      PermissionsApiEnabled: bool,
      PermissionsManageUsers: bool,
      PermissionsCustomizeApplication: bool,
      PermissionsViewSetup: bool,
      PermissionsViewEventLogFiles: bool,
    },
  },
  PermissionSetAssignment: {
    name: 'PermissionSetAssignment',
    keyPrefix: '0Pa',
    deletable: false,
    fields: {
      Id: id,
      AssigneeId: ref('User', 'Assignee'),
      PermissionSetId: ref('PermissionSet', 'PermissionSet'),
      PermissionSetGroupId: s,
    },
  },
  OauthToken: {
    name: 'OauthToken',
    keyPrefix: null,
    deletable: false,
    fields: {
      Id: id,
      AccessToken: s,
      AppName: s,
      AppMenuItemId: s,
      DeleteToken: s,
      LastUsedDate: dt,
      CreatedDate: dt,
      RequestToken: s,
      UseCount: int,
      UserId: ref('User', 'User'),
    },
  },
};
