module example.com/unreachable

go 1.25
