import { describe, expect, it } from 'vitest';
import { closestTopics, editDistance } from '../../src/core/topics.js';

const KNOWN = ['caching', 'databases', 'deadlocks', 'graphql', 'indexes', 'kafka', 'postgresql', 'rest', 'sql', 'testing'];

describe('suggestions for an unknown topic', () => {
  it('counts edits', () => {
    expect(editDistance('graphq', 'graphql')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('offers the closest topics, not the first ones alphabetically', () => {
    expect(closestTopics('graphq', KNOWN)).toEqual(['graphql']);
    expect(closestTopics('databse', KNOWN)).toEqual(['databases']);
    expect(closestTopics('postgres', KNOWN)[0]).toBe('postgresql');
    expect(closestTopics('index', KNOWN)).toEqual(['indexes']);
  });

  it('offers nothing when nothing is close', () => {
    expect(closestTopics('astrology', KNOWN)).toEqual([]);
    expect(closestTopics('ux', KNOWN)).toEqual([]);
  });
});
