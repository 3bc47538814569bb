// Run once by compose.yaml's mongo-init service (mongosh --file): makes mongo1..3 the three-member
// replica set rs0 the server needs for write concern majority (README, "Production: real MongoDB").
// Safe to run again: a set already initiated is left as it is.
const members = [
  { _id: 0, host: 'mongo1:27017', priority: 2 },
  { _id: 1, host: 'mongo2:27017', priority: 1 },
  { _id: 2, host: 'mongo3:27017', priority: 1 },
];

let initiated = true;
try {
  rs.status();
} catch (error) {
  if (error.codeName !== 'NotYetInitialized') throw error;
  initiated = false;
}
if (!initiated) {
  rs.initiate({ _id: 'rs0', members });
  print('replica set rs0 initiated');
}

// The server's first writes need a primary; wait for the election rather than let them fail.
for (let attempt = 0; attempt < 60; attempt += 1) {
  if (db.hello().isWritablePrimary || db.hello().primary) {
    print(`primary: ${db.hello().primary}`);
    quit(0);
  }
  sleep(1000);
}
print('no primary elected within 60 s');
quit(1);
