output "resolved_id" {
  value = "8f3a1c52-0b7e-4d1a-9c3e-2f6b7a8d9e01"
}
