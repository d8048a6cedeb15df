package s3remote_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"chancery/store/teamsync"
	"chancery/store/teamsync/remotetest"
	"chancery/store/teamsync/s3remote"
)

// makeBucket creates a bucket on the server with the SDK (not through s3remote, which
// never creates or deletes anything).
func makeBucket(t *testing.T, s remotetest.S3Server, bucket string) {
	t.Helper()
	c := s3.New(s3.Options{
		Region:       s.Region,
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: s.AccessKey, SecretAccessKey: s.SecretKey}, nil
		}),
	})
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("create bucket %s: %v", bucket, err)
	}
}

func cfg(s remotetest.S3Server, endpoint, bucket, prefix string) s3remote.Config {
	return s3remote.Config{Endpoint: endpoint, Region: s.Region, Bucket: bucket, Prefix: prefix,
		AccessKey: s.AccessKey, SecretKey: s.SecretKey}
}

var prefixes atomic.Int64

func TestConformanceVersityGW(t *testing.T) {
	s := remotetest.StartVersityGW(t)
	makeBucket(t, s, "chancery")
	// Each subtest its own prefix in one bucket; the prefix is part of what is tested.
	remotetest.Run(t, func(t *testing.T) teamsync.Remote {
		r, err := s3remote.New(context.Background(), cfg(s, s.Endpoint, "chancery", fmt.Sprintf("team/t%d", prefixes.Add(1))))
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
	// And a remote over a whole bucket, without a prefix.
	t.Run("NoPrefix", func(t *testing.T) {
		makeBucket(t, s, "whole")
		remotetest.Run(t, func(t *testing.T) teamsync.Remote {
			r, err := s3remote.New(context.Background(), cfg(s, s.Endpoint, "whole", fmt.Sprintf("t%d", prefixes.Add(1))))
			if err != nil {
				t.Fatal(err)
			}
			return r
		})
	})
	t.Run("CutUpload", func(t *testing.T) {
		makeBucket(t, s, "cut")
		host := strings.TrimPrefix(s.Endpoint, "http://")
		remotetest.CutUpload(t, host, func(t *testing.T, hostport string) teamsync.Remote {
			r, err := s3remote.New(context.Background(), cfg(s, "http://"+hostport, "cut", "p"))
			if err != nil {
				t.Fatal(err)
			}
			return r
		})
	})
	t.Run("MissingBucket", func(t *testing.T) {
		_, err := s3remote.New(context.Background(), cfg(s, s.Endpoint, "nosuchbucket", ""))
		if err == nil || !strings.Contains(err.Error(), "nosuchbucket") {
			t.Fatalf("New on a missing bucket: %v", err)
		}
	})
	t.Run("WrongSecret", func(t *testing.T) {
		c := cfg(s, s.Endpoint, "chancery", "")
		c.SecretKey = "wrong-secret-value"
		_, err := s3remote.New(context.Background(), c)
		if err == nil || strings.Contains(err.Error(), "wrong-secret-value") || strings.Contains(err.Error(), s.SecretKey) {
			t.Fatalf("New with a wrong secret: %v", err)
		}
	})
	t.Run("BucketGoneAfterwards", func(t *testing.T) {
		// A remote whose bucket disappears lists an error, not nothing; Get is not
		// ErrNotFound.
		makeBucket(t, s, "gone")
		r, err := s3remote.New(context.Background(), cfg(s, s.Endpoint, "gone", ""))
		if err != nil {
			t.Fatal(err)
		}
		c := s3.New(s3.Options{Region: s.Region, BaseEndpoint: aws.String(s.Endpoint), UsePathStyle: true,
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: s.AccessKey, SecretAccessKey: s.SecretKey}, nil
			})})
		if _, err := c.DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: aws.String("gone")}); err != nil {
			t.Fatal(err)
		}
		if names, err := r.List(context.Background(), ""); err == nil {
			t.Fatalf("List on a deleted bucket: %q, nil", names)
		}
		if _, err := r.Get(context.Background(), "a"); err == nil || errors.Is(err, teamsync.ErrNotFound) {
			t.Fatalf("Get on a deleted bucket: %v", err)
		}
	})
}

func TestStringHasNoCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	r, err := s3remote.New(context.Background(), s3remote.Config{Endpoint: srv.URL, Bucket: "b", Prefix: "/team/x/",
		AccessKey: "AKIDSECRETID", SecretKey: "very-secret-key"})
	if err != nil {
		t.Fatal(err)
	}
	if s := r.String(); s != "s3 "+srv.URL+"/b/team/x/" {
		t.Errorf("String() = %q", s)
	}
	if err := r.Create(context.Background(), "../x", nil); err == nil || strings.Contains(err.Error(), "very-secret-key") {
		t.Errorf("Create of a bad name: %v", err)
	}
	for _, bad := range []s3remote.Config{{Bucket: ""}, {Bucket: "b", Endpoint: "ftp://x"}, {Bucket: "b", Prefix: "a b"}} {
		if _, err := s3remote.New(context.Background(), bad); err == nil {
			t.Errorf("New(%+v) succeeded", bad)
		}
	}
}

// A server that errs or answers garbage is an error, never an empty list.
func TestBrokenServer(t *testing.T) {
	cases := map[string]func(w http.ResponseWriter, r *http.Request){
		"500":     func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) },
		"garbage": func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>proxy login</html>")) },
		"empty":   func(w http.ResponseWriter, r *http.Request) {},
		"otherbucket": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>other</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`))
		},
		"truncated-no-token": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated></ListBucketResult>`))
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodHead { // HeadBucket in New: the bucket is there
					return
				}
				h(w, r)
			}))
			defer srv.Close()
			r, err := s3remote.New(context.Background(), s3remote.Config{Endpoint: srv.URL, Bucket: "b", AccessKey: "a", SecretKey: "pw-secret"})
			if err != nil {
				t.Fatal(err)
			}
			names, err := r.List(context.Background(), "desks/")
			if err == nil {
				t.Fatalf("List = %q, nil; want an error", names)
			}
			if !strings.Contains(err.Error(), r.String()) || strings.Contains(err.Error(), "pw-secret") {
				t.Errorf("error %q: should name %s and hide the secret", err, r)
			}
			if name == "500" {
				if _, err := r.Get(context.Background(), "x"); err == nil || errors.Is(err, teamsync.ErrNotFound) {
					t.Errorf("Get: %v", err)
				}
				if err := r.Create(context.Background(), "x", []byte("x")); err == nil || errors.Is(err, teamsync.ErrExists) {
					t.Errorf("Create: %v", err)
				}
			}
		})
	}
}
