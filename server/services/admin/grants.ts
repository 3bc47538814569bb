import { copyFile, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAllianceConfig } from '../../config/alliance';
import { ALL_MEMBERS, type CollectionConfig } from '../../config/types';
import { editGrant, type GrantRights } from '../../config/yaml-edit';
import { ConfigError, InvalidBody, UnprocessableEntity } from '../../errors';
import { defaultScope } from '../../policy/admin-policy';
import { authorize, type AdminRequest, type AdminDependencies } from './admin-dependencies';
import { CONFIG_LOCK, commitAllianceConfig, type ApplyOutcome } from './config-apply';
import { findCollection } from './provenance';

export interface GrantChange {
  /** The collection id or alias. */
  collection: string;
  organisation: string;
  /** Undefined removes the grant. */
  rights?: GrantRights;
}

export function listCollectionsWithGrants(deps: AdminDependencies, request: AdminRequest): CollectionConfig[] {
  const scope = defaultScope(request.actor);
  authorize(request.actor, 'collections.list', scope);
  const collections = deps.live.config.collections;
  return scope.kind === 'organisation' ? collections.filter((collection) => collection.owner === scope.organisation) : collections;
}

async function ownerFile(configDir: string, owner: string): Promise<string> {
  const files = await readdir(configDir);
  const file = [`${owner}.yaml`, `${owner}.yml`].find((name) => files.includes(name));
  if (!file) throw new UnprocessableEntity(`no file for organisation ${owner} in the configuration directory`);
  return file;
}

/** Validates the whole directory as it would be with `file` replaced, without touching the real one. */
async function validateWith(configDir: string, file: string, text: string) {
  const scratch = await mkdtemp(join(tmpdir(), 'taxii-config-'));
  try {
    for (const name of await readdir(configDir)) if (/\.ya?ml$/.test(name) && name !== file) await copyFile(join(configDir, name), join(scratch, name));
    await writeFile(join(scratch, file), text);
    return await loadAllianceConfig(scratch);
  } catch (error) {
    if (error instanceof ConfigError) throw new UnprocessableEntity(`the change would make the configuration invalid:\n${error.message}`);
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Write-then-rename, so a reader (or a crash) sees the old file or the new one, never half of it. */
async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

/**
 * Sets or removes one grant: edits the owner's YAML file (comments and layout kept), validates
 * the whole directory with it, writes it, then applies the directory exactly as `config apply`
 * does. If the apply fails the file is put back, so files and database never disagree.
 */
export async function changeGrant(deps: AdminDependencies, request: AdminRequest, change: GrantChange): Promise<ApplyOutcome> {
  const collection = findCollection(deps, request, change.collection);
  authorize(request.actor, 'grant.change', { kind: 'collection', owner: collection.owner });
  if (change.organisation === collection.owner) throw new UnprocessableEntity(`${collection.owner} owns this collection: the owner needs no grant`);
  const declared = change.organisation === ALL_MEMBERS || deps.live.config.organisations.some((org) => org.id === change.organisation);
  if (!declared) throw new UnprocessableEntity(`organisation '${change.organisation}' is not declared in the alliance configuration`);
  if (change.rights && !change.rights.read && !change.rights.write) throw new InvalidBody('a grant needs read or write; to remove a grant, use DELETE (or grant revoke)');

  return deps.configLock.run(CONFIG_LOCK, async () => {
    const file = await ownerFile(deps.configDir, collection.owner);
    const path = join(deps.configDir, file);
    const original = await readFile(path, 'utf8');
    const edit = editGrant(original, file, collection.id, change.organisation, change.rights);
    const next = await validateWith(deps.configDir, file, edit.text);
    const source = `${change.rights ? 'grant set' : 'grant revoke'} ${collection.id} ${change.organisation}`;
    if (edit.changed) await replaceFile(path, edit.text);
    try {
      return await commitAllianceConfig(deps, request, next, source);
    } catch (error) {
      if (edit.changed) await replaceFile(path, original);
      throw error;
    }
  });
}
