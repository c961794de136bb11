// Run by the mongodb-rs-init Job with `mongosh --nodb`. Safe to run any number of times:
// forms replica set REPLICA_SET from MONGODB_REPLICAS StatefulSet members, adds members missing
// after a scale-up, and creates (or updates, so a changed password takes effect) one user per
// service with readWrite on that service's database only.
const namespace = process.env.POD_NAMESPACE;
const replicaSet = process.env.REPLICA_SET;
const service = process.env.MONGODB_SERVICE;
const replicas = parseInt(process.env.MONGODB_REPLICAS, 10);
const hosts = Array.from({ length: replicas },
    (_, i) => `${service}-${i}.${service}.${namespace}.svc.cluster.local:27017`);
const credentials = `${encodeURIComponent(process.env.MONGO_ROOT_USERNAME)}:${encodeURIComponent(process.env.MONGO_ROOT_PASSWORD)}`;

const serviceUsers = [
  { user: 'user-service', db: 'users', passwordEnv: 'USER_SERVICE_PASSWORD' },
  { user: 'post-service', db: 'posts', passwordEnv: 'POST_SERVICE_PASSWORD' },
  { user: 'comment-service', db: 'comments', passwordEnv: 'COMMENT_SERVICE_PASSWORD' },
];

function waitFor(what, check) {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if (check()) return;
      print(`waiting for ${what}`);
    } catch (e) {
      print(`waiting for ${what}: ${e.message}`);
    }
    sleep(5000);
  }
  throw new Error(`gave up waiting for ${what}`);
}

function command(db, cmd) {
  try {
    return db.runCommand(cmd);
  } catch (e) {
    return { ok: 0, code: e.code, codeName: e.codeName, errmsg: e.message };
  }
}

hosts.forEach(host => waitFor(host, () =>
    new Mongo(`mongodb://${host}/?directConnection=true`).getDB('admin').runCommand({ ping: 1 }).ok === 1));

const first = new Mongo(`mongodb://${credentials}@${hosts[0]}/admin?directConnection=true`).getDB('admin');
const status = command(first, { replSetGetStatus: 1 });
if (status.ok !== 1) {
  if (status.codeName !== 'NotYetInitialized') {
    throw new Error(`replSetGetStatus failed: ${status.errmsg}`);
  }
  const members = hosts.map((host, id) => ({ _id: id, host }));
  const initiated = command(first, { replSetInitiate: { _id: replicaSet, members } });
  if (initiated.ok !== 1) throw new Error(`replSetInitiate failed: ${initiated.errmsg}`);
  print(`replica set ${replicaSet} initiated with ${hosts.join(', ')}`);
}

const cluster = new Mongo(`mongodb://${credentials}@${hosts.join(',')}/admin?replicaSet=${replicaSet}`);
const admin = cluster.getDB('admin');
waitFor('a primary', () => admin.runCommand({ hello: 1 }).isWritablePrimary === true);

// a reconfiguration may change one voting member at a time
for (const host of hosts) {
  const config = admin.runCommand({ replSetGetConfig: 1 }).config;
  if (config.members.some(m => m.host === host)) continue;
  const id = Math.max(...config.members.map(m => m._id)) + 1;
  config.members.push({ _id: id, host });
  config.version += 1;
  const reconfigured = command(admin, { replSetReconfig: config });
  if (reconfigured.ok !== 1) throw new Error(`adding ${host} failed: ${reconfigured.errmsg}`);
  print(`added ${host}`);
  waitFor(`${host} to join`, () => admin.runCommand({ replSetGetStatus: 1 }).members
      .some(m => m.name === host && (m.stateStr === 'SECONDARY' || m.stateStr === 'PRIMARY')));
}

for (const { user, db, passwordEnv } of serviceUsers) {
  const pwd = process.env[passwordEnv];
  if (!pwd) throw new Error(`${passwordEnv} is not set`);
  const roles = [{ role: 'readWrite', db }];
  if (admin.getUser(user)) {
    admin.updateUser(user, { pwd, roles });
  } else {
    admin.createUser({ user, pwd, roles });
  }
  print(`user ${user}: readWrite on ${db}`);
}
print('MongoDB replica set ready');
