# Seed 002 L697-962: the nginx-deploy Deployment, typed as the seed typed it, on one timeline whose
# clock is the seed's AGE column: `create deployment` at t=0, the label listing at 25m, the scale
# to 4 just before 69m, the image change at 76m, the undo at ~120m, pause/resume at 150m-153m.
#
# Differences in form, not in substance (the test notes each one where it asserts):
# - `kubectl edit deploy nginx-deploy` (L783-786, L816-818) opens an editor; the image change it
#   made (`image: docker.io/library/nginx:1.28`, the image revision 2 shows at L895) is typed here
#   as `set image`, which changes the same field.
# - The seed's second `create deployment` (L727) and the YAML round trip (L731-773) re-create what
#   already exists; they are left out.
# - The ReplicaSet hashes are those of a v1.32 cluster, not the seed's (the pod template of a
#   v1.23 cluster has other fields, so its hash differs); the test reads them from the cluster.

kubectl create deployment nginx-deploy --image=docker.io/library/nginx:latest
sleep 11
kubectl get deploy
sleep 26
kubectl get replicaset
sleep 4
kubectl get pod
sleep 1459
# -- labels
kubectl get pod,rs,deploy --show-labels
sleep 2640
# -- scale
kubectl scale deployment nginx-deploy --replicas=4
kubectl rollout status deploy nginx-deploy
kubectl get rs
sleep 446
# -- rolling update
kubectl set image deployment/nginx-deploy nginx=docker.io/library/nginx:1.28
sleep 4
kubectl get rs
sleep 157
kubectl get rs
kubectl describe deploy nginx-deploy
# -- history
kubectl rollout history deploy nginx-deploy
kubectl rollout history deploy nginx-deploy --revision=1
kubectl rollout history deploy nginx-deploy --revision=2
sleep 2460
# -- undo
kubectl rollout undo deployment nginx-deploy --to-revision=1
sleep 60
kubectl get rs
kubectl rollout history deployment nginx-deploy
sleep 1780
# -- pause
kubectl rollout pause deploy nginx-deploy
kubectl annotate deployment nginx-deploy kubectl.kubernetes.io/change-cause="更新版本到 1.9.1" --overwrite
kubectl set image deployment/nginx-deploy nginx=1.9.1
kubectl get rs
sleep 140
kubectl rollout resume deployment nginx-deploy
sleep 7
kubectl get rs
kubectl rollout history deployment nginx-deploy
