package search

// SetMappingVersionForTest records another mapping version in the index, as an index built
// by another Chancery would have.
func SetMappingVersionForTest(ix *Index, v string) {
	if err := ix.bi.SetInternal(keyVersion, []byte(v)); err != nil {
		panic(err)
	}
}
