import type { CephLifeExpectancy, HealthStatus, LifeExpectancy } from './types.js';

/** Ceph's windows: Bad < 2 weeks, Warning 2–6 weeks, Good > 6 weeks. */
export function lifeExpectancyFor(status: HealthStatus): LifeExpectancy | null {
  switch (status) {
    case 'Bad':
      return { fromDays: 0, toDays: 13 };
    case 'Warning':
      return { fromDays: 14, toDays: 42 };
    case 'Good':
      return { fromDays: 43, toDays: null };
    default:
      return null;
  }
}

export function cephLifeExpectancyFor(status: HealthStatus): CephLifeExpectancy {
  switch (status) {
    case 'Bad':
      return '<2w';
    case 'Warning':
      return '>=2w and <=6w';
    case 'Good':
      return '>6w';
    default:
      return 'unknown';
  }
}
