// Package s3remote is a teamsync.Remote on a bucket of an S3-compatible object store (AWS,
// MinIO, Ceph, versitygw), with github.com/aws/aws-sdk-go-v2/service/s3 and path-style
// addressing.
//
// An object "a/b/c" is the key Prefix+"/a/b/c". Create is a PutObject with
// "If-None-Match: *" (S3's conditional write) and Content-MD5: 412 PreconditionFailed is
// teamsync.ErrExists; it is sent once, without the SDK's retries, since a retry after a
// lost answer would meet its own object and report ErrExists. Get is a GetObject
// (NoSuchKey is teamsync.ErrNotFound; a missing bucket is not). List pages through
// ListObjectsV2. The keys go only into the request signature, never into String() or an
// error.
//
// An empty or unreadable remote never looks like "no objects": New checks the bucket
// (HeadBucket); a missing bucket, an error status, an answer that is not a listing of this
// bucket (a proxy's page, an empty body) or a truncated listing without a continuation
// token is an error.
//
// Timeouts: connecting and the first byte of an answer are bounded by DialTimeout and
// HeaderTimeout, a whole request by RequestTimeout; the caller's context bounds it further.
//
// Conditional creates on servers: versitygw v1.8.0 (posix backend) honours If-None-Match:
// it stages the body in a temporary file and checks the condition and publishes under a
// per-object lock (flock on a shared lock file, so several gateways over one folder agree),
// so of many concurrent creates exactly one wins, and a cut upload leaves nothing; the
// conformance suite (store/teamsync/remotetest) passes against it. AWS S3 documents
// If-None-Match on PutObject (since August 2024); check other servers. A server that ignores the
// header would let a second create overwrite: the protocol keeps that from mattering, as
// each desk writes only new names under its own prefix, from one process, so two writers
// of one name happen only when a desk re-uploads after a crash; the sync engine must read a
// name it finds taken (ErrExists, or an error from a Create whose answer was lost) back
// before it trusts it.
package s3remote
