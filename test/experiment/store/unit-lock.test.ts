import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tryLockUnit } from '../../../src/experiment/store/unit-lock';

const freshDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sat-bench-lock-'));

/** A lock left by another worker: `host`, `pid` alive or not, heartbeat `ageMinutes` old. */
function leaveLock(dir: string, holder: { host: string; pid: number }, ageMinutes: number): void {
  const file = path.join(dir, 'lock.json');
  fs.writeFileSync(file, JSON.stringify({ ...holder, startedAt: 'then' }));
  const then = new Date(Date.now() - ageMinutes * 60_000);
  fs.utimesSync(file, then, then);
}

const ME = { host: 'here', pid: 100 };
const CASES: Array<{
  name: string;
  holder: { host: string; pid: number };
  alive: boolean;
  ageMinutes: number;
  acquired: boolean;
}> = [
  {
    name: 'a live process on this host holds it',
    holder: { host: 'here', pid: 200 },
    alive: true,
    ageMinutes: 1,
    acquired: false,
  },
  {
    name: 'its holder on this host is dead',
    holder: { host: 'here', pid: 200 },
    alive: false,
    ageMinutes: 1,
    acquired: true,
  },
  // On another host the pid means nothing here: only the heartbeat (15 min by default) can tell.
  {
    name: 'another host beat 1 min ago',
    holder: { host: 'there', pid: 200 },
    alive: false,
    ageMinutes: 1,
    acquired: false,
  },
  {
    name: 'another host last beat 20 min ago',
    holder: { host: 'there', pid: 200 },
    alive: true,
    ageMinutes: 20,
    acquired: true,
  },
  {
    name: 'a live process on this host has not beaten for 20 min',
    holder: { host: 'here', pid: 200 },
    alive: true,
    ageMinutes: 20,
    acquired: true,
  },
];
for (const { name, holder, alive, ageMinutes, acquired } of CASES) {
  test(`when ${name}, the lock is ${acquired ? 'taken over' : 'left to it'}`, () => {
    const dir = freshDir();
    leaveLock(dir, holder, ageMinutes);
    const attempt = tryLockUnit(dir, 'lock.json', { ...ME, isAlive: (pid) => pid === 200 && alive });
    assert.equal(attempt.acquired, acquired);
    if (attempt.acquired) {
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'lock.json'), 'utf8')).pid, 100);
      attempt.release();
    } else {
      assert.deepEqual([attempt.holder.host, attempt.holder.pid], [holder.host, holder.pid]);
    }
  });
}

test('a held lock keeps a second taker out until it is released', () => {
  const dir = freshDir();
  const first = tryLockUnit(dir, 'lock.json');
  assert.ok(first.acquired);
  const second = tryLockUnit(dir, 'lock.json');
  assert.equal(second.acquired, false);
  if (!second.acquired) assert.deepEqual([second.holder.pid, second.holder.host], [process.pid, os.hostname()]);
  first.release();
  assert.deepEqual(fs.readdirSync(dir), []);
  const third = tryLockUnit(dir, 'lock.json');
  assert.ok(third.acquired);
  third.release();
});
