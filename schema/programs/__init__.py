"""Programs (全员远程培训项目) and batches (研修批次)."""
