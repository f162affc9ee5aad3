module switchyard.local/gitserver

go 1.26
