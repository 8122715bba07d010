# Seed 002 L509-602: lifecycle hooks, on the seed's `lifecycle-demo` pod (L542-572, verbatim).
# The seed shows the manifest and explains the hooks but prints no command or output; the commands
# below are the ones the course's section 2.7 runs on it (apply, watch it start, delete it and
# watch the preStop hook hold it in Terminating).
#
# v1.32 behaviour the seed's prose gets wrong (course outline, appendix, seed 002 L576-602):
# - the kubelet waits for postStart: the container is not reported running (STATUS stays
#   ContainerCreating) until the hook's `sleep 3` returns;
# - preStop runs before the stop signal, inside the grace period: nginx keeps serving ~5 s after
#   the delete, then gets SIGQUIT and exits at once.

cat > lifecycle-demo.yaml <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: lifecycle-demo
spec:
  containers:
    - name: nginx
      image: nginx:1.21.1
      lifecycle:
        postStart:
          exec:
            command:
              - "/bin/sh"
              - "-c"
              - |
                echo "PostStart hook triggered! Initializing..."; 
                sleep 3
        preStop:
          exec:
            command:
              - "/bin/sh"
              - "-c"
              - |
                echo "PreStop hook triggered! Cleaning up..."; 
                sleep 5
      ports:
        - containerPort: 80
      resources:
        requests:
          memory: "64Mi"
          cpu: "250m"
EOF
kubectl apply -f lifecycle-demo.yaml
kubectl get pods -w
sleep 10
kubectl describe pod lifecycle-demo
kubectl delete pod lifecycle-demo --wait=false
sleep 3
kubectl get pods
sleep 3
kubectl get pods
kubectl get events
