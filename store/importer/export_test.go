package importer

// ZipBombForTest is zipBomb, for the package's external tests.
var ZipBombForTest = zipBomb
