f(x) = 3*x**2 - 4*x + 5
f(3.0)
h = 0.0001
x = 3.0
(f(x + h) - f(x)) / h
a = 2.0
b = -3.0
c = 10.0
e = a*b
d = e + c
f = -2.0
L = d * f
L
:grad L
a.grad
b.grad
c.grad
f.grad
:nudge a 0.0001 L
:nudge c 0.0001 L
a.data
a.data += 0.01 * a.grad
b.data += 0.01 * b.grad
c.data += 0.01 * c.grad
f.data += 0.01 * f.grad
e = a * b
d = e + c
L = d * f
L.data
x1 = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
n = x1*w1 + x2*w2 + b
o = n.tanh()
o.data
:grad o
x1.grad
w1.grad
x2.grad
w2.grad
m = MLP(3, [4, 4, 1])
len(m.parameters())
