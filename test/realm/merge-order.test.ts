/** Merge order of a coordinated change: exporters before importers, ties by name, other repos ignored. */
import { describe, expect, it } from 'vitest';
import { mergeOrder } from '../../src/realm/realm/change-scope.ts';
import type { DomainModel, RealmModel } from '../../src/realm/realm/model.ts';

/** A realm whose domains declare only members (provider first), which is what the edges come from. */
function realmOf(domains: Record<string, string[]>): RealmModel {
  const map = new Map<string, DomainModel>();
  for (const [name, members] of Object.entries(domains)) {
    map.set(name, { name, data: { name, description: '', members }, contracts: new Map(), bindings: new Map() } as unknown as DomainModel);
  }
  return { root: '/realm', realm: {} as RealmModel['realm'], repos: new Map(), domains: map };
}

describe('mergeOrder', () => {
  it('puts every exporter before its importers in a diamond, ties in name order', () => {
    const model = realmOf({ a: ['core', 'web'], b: ['core', 'api'], c: ['api', 'web'] });
    expect(mergeOrder(model, ['web', 'api', 'core'])).toEqual(['core', 'api', 'web']);
  });

  it('orders only the repos of the change; unrelated repos come in name order', () => {
    const model = realmOf({ a: ['z-exporter', 'a-importer'] });
    expect(mergeOrder(model, ['a-importer', 'z-exporter', 'm-other'])).toEqual(['m-other', 'z-exporter', 'a-importer']);
  });
});
