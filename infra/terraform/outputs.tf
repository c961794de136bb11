output "cluster_name" {
  description = "Name of the GKE cluster."
  value       = google_container_cluster.conduit.name
}

output "cluster_location" {
  description = "Region of the cluster."
  value       = google_container_cluster.conduit.location
}

output "get_credentials" {
  description = "The command that gives kubectl access to the cluster."
  value       = "gcloud container clusters get-credentials ${google_container_cluster.conduit.name} --region ${var.region} --project ${var.project_id}"
}

output "ingress_ip" {
  description = "The Ingress' public address: point the public host's DNS record (k8s/overlays/prod/ingress.yaml) at it."
  value       = google_compute_address.ingress.address
}
