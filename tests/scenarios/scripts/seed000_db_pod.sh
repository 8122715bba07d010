# Seed 000 L42-86: the `db` pod, typed as the seed typed it (L63-80).
#
# - db.yml is the manifest as the seed prints it (L47-59), with every indentation lost. The seed
#   does not show what kubectl answered; a v1.32 API server rejects it (strict decoding for
#   `create`, an empty name for `apply` and `delete`): seed000_db_reset.sh replays the same pod
#   with the indentation restored.
# - L72 types a placeholder, `-c <container_name>`: bash reads `<container_name>` as two
#   redirections and fails before kubectl runs. The next line is the same command with the
#   placeholder filled in (the container `run db` makes is named `db`).
# - L75 types `kubectrl logs db`, a shell typo (bash: kubectrl: command not found; the course does
#   not teach it, course outline appendix); a scenario script refuses an unknown command word
#   before it runs anything (the test checks that), so the line is `kubectl logs db` here.
# - L73 `exec -it db -- sh`: without a terminal kubectl warns that it cannot use a TTY, and sh
#   reads an empty stdin and exits 0.
# - The image `mongo` (:latest, pull policy Always) is pulled: the seed had just created its cluster.

kubectl run db --image mongo
kubectl get pods -w
sleep 20
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
kubectl apply -f db.yml
kubectl get pods -o wide
kubectl get pods -o json
kubectl get pods -o yaml
kubectl describe pod db
kubectl exec db -- ps aux
kubectl exec -c <container_name> db -- ps aux
kubectl exec -c db db -- ps aux
kubectl exec -it db -- sh # -i stdin -t terminal
kubectl logs db
kubectl delete -f db.yml
kubectl delete pod db
kubectl get pods
