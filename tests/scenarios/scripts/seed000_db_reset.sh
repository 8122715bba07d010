# Seed 000 L47-86 with the indentation of L47-59 restored: db.yml as the seed meant it.
#
# - L63-64: `kubectl run db` then `kubectl create -f db.yml`: both make a pod named db, so
#   `create` fails with AlreadyExists and changes nothing.
# - `delete -f db.yml` (L79) then deletes the pod `run` made; `delete pod db` (L80) finds none.
# - Created again, the db.yml pod runs `mongod --reset --httpinterface`. `--reset` is no mongod
#   option (seed error, course outline appendix: 000 L47-59): mongod prints a usage error and exits
#   2, and the container goes Error -> CrashLoopBackOff with the 0, 10, 20, 40 s back-off
#   (pods-and-kubelet §4.2). Course lab 01.4 asks for RESTARTS at t=50: 3.
# - L77 says `run db --image mongo` "comes with RESTARTS=1": a healthy mongo pod stays at 0.
# - L82-86 graceful deletion: mongod exits on TERM at once, so `delete pod db` returns in about a
#   second; `--grace-period` only caps how long the kubelet waits (the seed's "gracePeriodSeconds"
#   is spec.terminationGracePeriodSeconds).
# mongo and mongo:3.3 are pre-pulled (course outline A.4).

kubectl run db --image mongo
cat > db.yml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels:
    type: db
    vendor: MongoLabs
spec:
  containers:
  - name: db
    image: mongo:3.3
    command: ["mongod"]
    args: ["--reset", "--httpinterface"]
YAML
kubectl create -f db.yml
sleep 30
kubectl get pods
kubectl delete -f db.yml
kubectl delete pod db
kubectl create -f db.yml
kubectl get pods -w
sleep 50
kubectl logs db --previous
kubectl describe pod db
kubectl delete pod db --grace-period=5
kubectl get pods
