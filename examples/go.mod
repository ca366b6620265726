module example.com/waitguard-examples

go 1.21
