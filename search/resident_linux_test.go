package search_test

import "chancery/search"

func init() { segmentsResidentKiB = search.SegmentsResidentKiB }
