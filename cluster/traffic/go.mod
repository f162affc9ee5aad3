module switchyard.local/traffic

go 1.26
