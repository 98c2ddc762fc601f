package msntest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"sync"
	"time"
)

// The certificate of the HTTPS gateways: self-signed, ECDSA P-256 (cheap to
// make and to handshake with), expired like the real ones.
const CertName = "msntest"

// CertExpiry is when the gateways' certificate expired.
var CertExpiry = time.Date(2017, time.May, 19, 0, 0, 0, 0, time.UTC)

var serverTLS = sync.OnceValue(func() *tls.Config {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("msntest: " + err.Error()) // the system's random source failed
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: CertName},
		NotBefore:             time.Date(2014, time.May, 19, 0, 0, 0, 0, time.UTC),
		NotAfter:              CertExpiry,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic("msntest: " + err.Error())
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		panic("msntest: " + err.Error())
	}
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}},
	}
})
