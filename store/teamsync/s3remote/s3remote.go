package s3remote

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"chancery/store/teamsync"
)

// Config names a bucket (and a prefix in it) on an S3-compatible server, and the account
// that writes there. Addressing is path-style (http://host/bucket/key), as MinIO, Ceph and
// versitygw expect.
type Config struct {
	Endpoint  string // for example https://s3.ministry.example; empty for AWS itself
	Region    string // empty: us-east-1
	Bucket    string
	Prefix    string // optional folder in the bucket, for example "team-north"
	AccessKey string
	SecretKey string
}

// Remote is a teamsync.Remote on an S3 bucket.
type Remote struct {
	client *s3.Client
	bucket string
	prefix string // "" or ends in "/"
	name   string
}

var _ teamsync.Remote = (*Remote)(nil)

// Timeouts: a request that cannot connect, or whose server does not start answering, fails
// within these; a whole request (a large original on a slow line) within RequestTimeout.
const (
	DialTimeout    = 15 * time.Second
	HeaderTimeout  = 60 * time.Second
	RequestTimeout = 10 * time.Minute
)

// New checks cfg and that the bucket is there and readable with these credentials
// (HeadBucket), and returns the remote.
func New(ctx context.Context, cfg Config) (*Remote, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("s3remote: no bucket")
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" {
		if err := teamsync.ValidName(prefix); err != nil {
			return nil, fmt.Errorf("s3remote: prefix %q: %w", cfg.Prefix, err)
		}
		prefix += "/"
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	r := &Remote{bucket: cfg.Bucket, prefix: prefix}
	opts := s3.Options{
		Region:       region,
		UsePathStyle: true,
		HTTPClient: &http.Client{
			Timeout: RequestTimeout,
			Transport: &http.Transport{
				Proxy:                 http.ProxyFromEnvironment,
				DialContext:           (&net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second}).DialContext,
				TLSHandshakeTimeout:   DialTimeout,
				ResponseHeaderTimeout: HeaderTimeout,
				ExpectContinueTimeout: time.Second,
				MaxIdleConnsPerHost:   8,
				IdleConnTimeout:       90 * time.Second,
			},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		RetryMaxAttempts: 3,
		// Content-MD5 (below) guards uploads; the newer default checksums trip older
		// S3-compatible servers.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if cfg.AccessKey != "" {
		creds := aws.Credentials{AccessKeyID: cfg.AccessKey, SecretAccessKey: cfg.SecretKey, Source: "chancery policy"}
		opts.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })
	} else {
		opts.Credentials = aws.AnonymousCredentials{}
	}
	where := "s3://" + cfg.Bucket + "/" + prefix
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("s3remote: endpoint %q: want http(s)://host[:port]", redact(cfg.Endpoint))
		}
		u.User, u.RawQuery, u.Fragment = nil, "", ""
		u.Path = strings.TrimSuffix(u.Path, "/")
		endpoint := u.String()
		opts.BaseEndpoint = aws.String(endpoint)
		where = endpoint + "/" + cfg.Bucket + "/" + prefix
	}
	r.name = "s3 " + where
	r.client = s3.New(opts)
	if _, err := r.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(r.bucket)}); err != nil {
		if status(err) == http.StatusNotFound {
			return nil, fmt.Errorf("s3remote: %s: no such bucket %q", r, r.bucket)
		}
		return nil, fmt.Errorf("s3remote: %s: check the bucket: %w", r, err)
	}
	return r, nil
}

func redact(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparsable)"
}

// String names the remote by endpoint, bucket and prefix, without credentials.
func (r *Remote) String() string { return r.name }

// status is the HTTP status of a failed call, or 0.
func status(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// Create is a PutObject with "If-None-Match: *" and Content-MD5: 412 (PreconditionFailed)
// is ErrExists. It is sent once, without the SDK's retries: a retry after a lost answer
// would find its own object and report ErrExists. A 409 ConditionalRequestConflict
// (another create of the name in flight, as AWS answers) is tried again, up to 3 times.
func (r *Remote) Create(ctx context.Context, name string, data []byte) error {
	if err := teamsync.ValidName(name); err != nil {
		return fmt.Errorf("s3remote: create %s on %s: %w", name, r, err)
	}
	sum := md5.Sum(data)
	for attempt := 1; ; attempt++ {
		_, err := r.client.PutObject(ctx, &s3.PutObjectInput{
			Bucket:        aws.String(r.bucket),
			Key:           aws.String(r.prefix + name),
			Body:          bytes.NewReader(data),
			ContentLength: aws.Int64(int64(len(data))),
			ContentMD5:    aws.String(base64.StdEncoding.EncodeToString(sum[:])),
			ContentType:   aws.String("application/octet-stream"),
			IfNoneMatch:   aws.String("*"),
		}, func(o *s3.Options) { o.RetryMaxAttempts = 1 })
		switch {
		case err == nil:
			return nil
		case status(err) == http.StatusPreconditionFailed || code(err) == "PreconditionFailed":
			return fmt.Errorf("s3remote: create %s on %s: %w", name, r, teamsync.ErrExists)
		case status(err) == http.StatusConflict && attempt < 3 && ctx.Err() == nil:
			select {
			case <-ctx.Done():
			case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
			}
		default:
			return fmt.Errorf("s3remote: create %s on %s: %w", name, r, err)
		}
	}
}

// Get is a GetObject; NoSuchKey is ErrNotFound (a missing bucket is an error). A body
// shorter than its Content-Length is an error.
func (r *Remote) Get(ctx context.Context, name string) ([]byte, error) {
	if err := teamsync.ValidName(name); err != nil {
		return nil, fmt.Errorf("s3remote: get %s from %s: %w", name, r, err)
	}
	out, err := r.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(r.prefix + name)})
	if err != nil {
		var nsk *types.NoSuchKey
		if errors.As(err, &nsk) || code(err) == "NoSuchKey" {
			return nil, fmt.Errorf("s3remote: get %s from %s: %w", name, r, teamsync.ErrNotFound)
		}
		return nil, fmt.Errorf("s3remote: get %s from %s: %w", name, r, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err == nil && out.ContentLength != nil && int64(len(b)) != *out.ContentLength {
		err = fmt.Errorf("got %d of %d bytes", len(b), *out.ContentLength)
	}
	if err != nil {
		return nil, fmt.Errorf("s3remote: get %s from %s: %w", name, r, err)
	}
	return b, nil
}

// List pages through ListObjectsV2. An answer that is not a listing of this bucket (a
// proxy's page, an empty body), or a truncated one without a continuation token, is an
// error, never "no objects".
func (r *Remote) List(ctx context.Context, prefix string) ([]string, error) {
	var names []string
	var token *string
	for {
		out, err := r.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
			Bucket:            aws.String(r.bucket),
			Prefix:            aws.String(r.prefix + prefix),
			ContinuationToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("s3remote: list %q on %s: %w", prefix, r, err)
		}
		if out.Name == nil || *out.Name != r.bucket {
			return nil, fmt.Errorf("s3remote: list %q on %s: the answer is not a listing of bucket %q", prefix, r, r.bucket)
		}
		for _, o := range out.Contents {
			if o.Key == nil || !strings.HasPrefix(*o.Key, r.prefix+prefix) {
				return nil, fmt.Errorf("s3remote: list %q on %s: the server listed %q", prefix, r, aws.ToString(o.Key))
			}
			names = append(names, strings.TrimPrefix(*o.Key, r.prefix))
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		if aws.ToString(out.NextContinuationToken) == "" {
			return nil, fmt.Errorf("s3remote: list %q on %s: a truncated listing without a continuation token", prefix, r)
		}
		token = out.NextContinuationToken
	}
	slices.Sort(names)
	return names, nil
}
