import type { Request, Response } from 'express';
import type { Role } from '../../auth/principal';
import { InvalidBody } from '../../errors';
import type { AdminRequest, AdminServices } from '../../services/admin/admin-services';
import { queryAuditTrail } from '../../services/admin/audit-trail';
import { listFeeds } from '../../services/admin/feeds';
import { changeGrant, listCollectionsWithGrants } from '../../services/admin/grants';
import { provenanceOf, publicationsOf } from '../../services/admin/provenance';
import { createToken, listTokens, revokeToken } from '../../services/admin/tokens';
import { addUser, listUsers, setUserDisabled, setUserPassword } from '../../services/admin/users';
import {
  adminBody, adminQuery, booleanField, onlyFields, parseActions, parseInstant, parseLimit, required, stringField,
} from './admin-input';
import { presentApply, presentAuditRecord, presentCollection, presentFeed, presentToken, presentUser, presentVersion } from './present';

/** Parse, call one use case, send JSON. Policy and audit live in services/admin/. */
export type AdminHandler = (services: AdminServices, request: AdminRequest, req: Request, res: Response) => Promise<void>;

const param = (req: Request, name: string): string => String(req.params[name]);

export const listUsersHandler: AdminHandler = async (services, request, req, res) => {
  const org = adminQuery(req, ['org']).get('org');
  res.json({ users: (await listUsers(services, request, org)).map(presentUser) });
};

export const addUserHandler: AdminHandler = async (services, request, req, res) => {
  const body = await adminBody(req, res);
  onlyFields(body, ['username', 'organisation', 'role', 'password']);
  const role = (stringField(body, 'role', true) ?? 'member') as Role;
  const user = await addUser(services, request, {
    username: stringField(body, 'username'),
    organisation: stringField(body, 'organisation'),
    role,
    password: stringField(body, 'password'),
  });
  res.status(201).json(presentUser(user));
};

export const disableUserHandler: AdminHandler = async (services, request, req, res) => {
  res.json(presentUser(await setUserDisabled(services, request, param(req, 'username'), true)));
};

export const enableUserHandler: AdminHandler = async (services, request, req, res) => {
  res.json(presentUser(await setUserDisabled(services, request, param(req, 'username'), false)));
};

export const setPasswordHandler: AdminHandler = async (services, request, req, res) => {
  const body = await adminBody(req, res);
  onlyFields(body, ['password']);
  await setUserPassword(services, request, param(req, 'username'), stringField(body, 'password'));
  res.status(204).end();
};

export const listTokensHandler: AdminHandler = async (services, request, req, res) => {
  const query = adminQuery(req, ['user', 'org']);
  const user = query.get('user');
  const org = query.get('org');
  const tokens = await listTokens(services, request, { ...(user !== undefined && { username: user }), ...(org !== undefined && { organisation: org }) });
  res.json({ tokens: tokens.map(presentToken) });
};

export const createTokenHandler: AdminHandler = async (services, request, req, res) => {
  const body = await adminBody(req, res);
  onlyFields(body, ['username', 'expires_at', 'label']);
  const now = new Date();
  const expiresAt = parseInstant('expires_at', stringField(body, 'expires_at', true));
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new InvalidBody('expires_at must lie in the future');
  const label = stringField(body, 'label', true);
  const issued = await createToken(services, request, stringField(body, 'username'), {
    now, ...(expiresAt && { expiresAt }), ...(label !== undefined && { label }),
  });
  // The only time the secret leaves the server: it is stored nowhere and never shown again.
  res.status(201).json({ token: issued.token, ...presentToken(issued.summary) });
};

export const revokeTokenHandler: AdminHandler = async (services, request, req, res) => {
  const outcome = await revokeToken(services, request, param(req, 'tokenId'));
  res.json({ ...presentToken(outcome.token), already_revoked: outcome.alreadyRevoked });
};

export const auditHandler: AdminHandler = async (services, request, req, res) => {
  const query = adminQuery(req, ['org', 'collection', 'since', 'until', 'action', 'limit']);
  const org = query.get('org');
  const collection = query.get('collection');
  const since = parseInstant('since', query.get('since'));
  const until = parseInstant('until', query.get('until'));
  const actions = parseActions(query.get('action'));
  const records = await queryAuditTrail(services, request, {
    ...(org !== undefined && { organisation: org }),
    ...(collection !== undefined && { collection }),
    ...(since && { since }),
    ...(until && { until }),
    ...(actions && { actions }),
    limit: parseLimit(query.get('limit')),
  });
  res.json({ records: records.map(presentAuditRecord) });
};

export const provenanceHandler: AdminHandler = async (services, request, req, res) => {
  const query = adminQuery(req, ['collection', 'object', 'version', 'limit']);
  const version = query.get('version');
  const answer = await provenanceOf(services, request, {
    collection: required(query, 'collection'),
    objectId: required(query, 'object'),
    ...(version !== undefined && { version }),
    limit: parseLimit(query.get('limit')),
  });
  res.json({
    collection: presentCollection(answer.collection),
    object_id: answer.objectId,
    versions: answer.versions.records.map(presentVersion),
    more: answer.versions.more,
  });
};

export const publicationsHandler: AdminHandler = async (services, request, req, res) => {
  const query = adminQuery(req, ['org', 'since', 'until', 'limit']);
  const since = parseInstant('since', query.get('since'));
  const until = parseInstant('until', query.get('until'));
  const answer = await publicationsOf(services, request, {
    organisation: required(query, 'org'),
    ...(since && { since }),
    ...(until && { until }),
    limit: parseLimit(query.get('limit')),
  });
  res.json({
    organisation: answer.organisation,
    ...(answer.since && { since: answer.since.toISOString() }),
    ...(answer.until && { until: answer.until.toISOString() }),
    publications: answer.publications.records.map(presentVersion),
    more: answer.publications.more,
  });
};

export const collectionsHandler: AdminHandler = async (services, request, req, res) => {
  adminQuery(req, []);
  res.json({ collections: listCollectionsWithGrants(services, request).map(presentCollection) });
};

export const setGrantHandler: AdminHandler = async (services, request, req, res) => {
  const body = await adminBody(req, res);
  onlyFields(body, ['read', 'write']);
  const rights = { read: booleanField(body, 'read'), write: booleanField(body, 'write') };
  const outcome = await changeGrant(services, request, { collection: param(req, 'collectionId'), organisation: param(req, 'organisation'), rights });
  res.json(presentApply(outcome));
};

export const removeGrantHandler: AdminHandler = async (services, request, req, res) => {
  const outcome = await changeGrant(services, request, { collection: param(req, 'collectionId'), organisation: param(req, 'organisation') });
  res.json(presentApply(outcome));
};

export const feedsHandler: AdminHandler = async (services, request, req, res) => {
  adminQuery(req, []);
  res.json({ feeds: (await listFeeds(services, request)).map(presentFeed) });
};
